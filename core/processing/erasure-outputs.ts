/**
 * What `smsctl erase --stack` reads from any cloud's stack outputs: the names of the stores an
 * erasure reaches (DynamoDB tables, Cosmos containers or Firestore collections, by the same ids),
 * validated so that a missing one is one line naming it.
 */
import * as z from "zod/mini";
import type { SubscriberEraser } from "../ports";

export const outputName = z.string().check(z.minLength(1));

export const ErasedStoreNamesSchema = z.object({
  responses: outputName,
  optOuts: outputName,
  journeys: outputName,
  messages: outputName,
  subscribers: outputName,
  pendingReceipts: outputName,
  optOutReviews: outputName,
  /** Absent in stacks deployed before the consent log, or the revocation clocks. */
  consentLog: z.optional(outputName),
  revocations: z.optional(outputName),
});

export type ErasedStoreNames = z.infer<typeof ErasedStoreNamesSchema>;

/** One eraser per store the outputs name; an optional store's may be absent (not deployed). */
export type StackErasers = {
  [Id in keyof ErasedStoreNames]: undefined extends ErasedStoreNames[Id]
    ? SubscriberEraser | undefined
    : SubscriberEraser;
};

/**
 * The order every cloud's `smsctl erase --stack` empties its stores in. The subscriber directory
 * goes last: until then a retry after a failure part-way still resolves the number to its ids.
 */
export const ERASURE_ORDER = [
  "responses",
  "messages",
  "journeys",
  "optOutReviews",
  "pendingReceipts",
  "optOuts",
  "consentLog",
  "revocations",
  "subscribers",
] as const satisfies readonly (keyof ErasedStoreNames)[];

/** A stack's erasers in ERASURE_ORDER, leaving out the optional stores it does not have. */
export function erasersInOrder(erasers: StackErasers): SubscriberEraser[] {
  return ERASURE_ORDER.flatMap((id) => erasers[id] ?? []);
}

/** The outputs `schema` describes; otherwise throws one line naming the first missing or invalid key. */
export function parseStackOutputs<Schema extends z.ZodMiniType>(
  schema: Schema,
  outputs: unknown,
  cloud: "AWS" | "Azure" | "GCP",
): z.infer<Schema> {
  const result = schema.safeParse(outputs ?? {});
  if (result.success) return result.data;
  const path = result.error.issues[0]?.path.join(".") || "(the outputs object)";
  const article = cloud === "AWS" || cloud === "Azure" ? "an" : "a";
  throw new Error(
    `${cloud} stack outputs: "${path}" is missing or invalid (a non-empty name, or a URL for an endpoint); is this ${article} ${cloud} stack of sms-campaigns?`,
  );
}
