import { createHash } from "node:crypto";

/**
 * A storage account name (3-24 lowercase letters and digits, globally unique): the prefix without
 * dashes, then 8 hex characters of the deployment name and purpose, so two stacks of one
 * subscription, and the two accounts of one stack, never collide. Pure, so it never diffs.
 */
export const storageAccountNameOf = (prefix: string, deploymentName: string, purpose: string): string => {
  const letters =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "")
      .slice(0, 12) || "sms";
  const hash = createHash("sha256").update(`${deploymentName}/${purpose}`).digest("hex").slice(0, 8);
  return `${letters}${purpose.slice(0, 4)}${hash}`.slice(0, 24);
};

/** Lower-case letters, digits and dashes (Cosmos, Service Bus and Event Hubs names). */
export const dnsLabelOf = (name: string, maxLength = 50): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, maxLength);
