import { Firestore } from "@google-cloud/firestore";
import { Storage } from "@google-cloud/storage";
import * as z from "zod/mini";
import type { CampaignStack } from "../../../core/ports";
import {
  CAMPAIGN_STACK_OUTPUTS,
  type CampaignStackOutput,
  REVOCATION_CLOCKS_OUTPUT,
} from "../infra/environment";
import { FirestoreCampaignStore } from "./campaign-store";
import { FirestoreRevocationClockStore } from "./revocation-clocks";

export type GcpCampaignStackOutputs = Record<CampaignStackOutput, string>;

const OutputsSchema = z.object(
  Object.fromEntries(
    CAMPAIGN_STACK_OUTPUTS.map((name) => [name, z.string({ error: "is missing" }).check(z.minLength(1))]),
  ) as Record<CampaignStackOutput, z.ZodMiniString>,
);

/** The outputs smsctl needs, or one line naming the first key that is missing or empty. */
export const parseGcpStackOutputs = (outputs: unknown): GcpCampaignStackOutputs => {
  const parsed = OutputsSchema.safeParse(outputs);
  if (parsed.success) return parsed.data as GcpCampaignStackOutputs;
  const key = parsed.error.issues[0]?.path.join(".") || "(the outputs object)";
  throw new Error(
    `GCP stack outputs: "${key}" is missing or empty (expected ${CAMPAIGN_STACK_OUTPUTS.join(", ")}; is this a GCP stack deployed with campaigns?)`,
  );
};

/** The revocation clocks collection the outputs name, or undefined for a stack deployed before it was exported. */
export const revocationClocksCollectionOf = (outputs: unknown): string | undefined => {
  const collection = (outputs as Record<string, unknown> | undefined)?.[REVOCATION_CLOCKS_OUTPUT];
  return typeof collection === "string" && collection !== "" ? collection : undefined;
};

export interface GcpStackClients {
  firestore?: Firestore;
  storage?: Storage;
}

/**
 * A deployed GCP stack as `smsctl campaign` sees it: the campaign store in the stack's Firestore
 * database, and its audience bucket, where an upload to campaigns/<id>/audience.csv starts the
 * enrollment function. The bucket's default CMEK key encrypts the object; credentials are the
 * caller's application default credentials. Also its revocation clocks, when the outputs name them.
 */
export const connectGcpStack = (outputs: unknown, clients: GcpStackClients = {}): CampaignStack => {
  const o = parseGcpStackOutputs(outputs);
  const firestore =
    clients.firestore ?? new Firestore({ projectId: o.project, databaseId: o.firestoreDatabase });
  const storage = clients.storage ?? new Storage({ projectId: o.project });
  const bucket = storage.bucket(o.audienceBucket);
  const revocationClocks = revocationClocksCollectionOf(outputs);
  return {
    describe: () => `gcp ${o.project} ${o.region} bucket ${o.audienceBucket}`,
    campaigns: new FirestoreCampaignStore(firestore, o.campaignsCollection),
    uploadAudience: async (key, csv) => {
      await bucket.file(key).save(Buffer.from(csv), { contentType: "text/csv", resumable: false });
    },
    ...(revocationClocks
      ? { revocations: new FirestoreRevocationClockStore(firestore, revocationClocks) }
      : {}),
  };
};
