/**
 * What starts an enrollment chunk, from the three events the enrollment function receives:
 * - a Cloud Storage notification on the enrollment topic (Pub/Sub CloudEvent, attributes
 *   `eventType: OBJECT_FINALIZE`, `bucketId`, `objectId`, `objectGeneration`): an audience upload;
 * - a `google.cloud.storage.object.v1.finalized` CloudEvent (Eventarc's form, data = the object);
 * - our own hand-on message on the same topic: `{ bucket, name, generation, fromLine }`.
 */
import type { CloudEvent } from "@google-cloud/functions-framework";
import * as z from "zod/mini";
import { withoutUndefined } from "../../../core/records";

export const STORAGE_FINALIZED = "google.cloud.storage.object.v1.finalized";
export const PUBSUB_PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished";
/** The attribute our hand-on messages carry, so they are told from storage notifications. */
export const CHUNK_ATTRIBUTE = "enrollmentChunk";

/** One chunk of one audience object, at one generation (a re-upload is a new generation). */
export interface AudienceChunk {
  bucket: string;
  name: string;
  generation?: string;
  /** First CSV line of this chunk; absent = from the top. */
  fromLine?: number;
}

export type EnrollmentTrigger =
  | { kind: "chunk"; chunk: AudienceChunk }
  /** Not an audience upload (another event type): acknowledged, nothing to do. */
  | { kind: "ignored"; reason: string }
  /** Cannot be read: dead-lettered, since retrying cannot fix it. */
  | { kind: "invalid"; reason: string };

const generationSchema = z.optional(
  z.pipe(
    z.union([z.string(), z.number()]),
    z.transform((g) => String(g)),
  ),
);
const StorageObjectSchema = z.object({
  bucket: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  generation: generationSchema,
});
const ChunkMessageSchema = z.object({
  bucket: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  generation: generationSchema,
  fromLine: z.optional(z.int().check(z.gte(1))),
});
const PubSubDataSchema = z.object({
  message: z.object({
    data: z.optional(z.string()),
    attributes: z.optional(z.record(z.string(), z.string())),
  }),
});

const fromPubSub = (data: unknown): EnrollmentTrigger => {
  const parsed = PubSubDataSchema.safeParse(data);
  if (!parsed.success) return { kind: "invalid", reason: "a Pub/Sub CloudEvent without a message" };
  const attributes = parsed.data.message.attributes ?? {};
  const eventType = attributes["eventType"];
  if (eventType !== undefined) {
    if (eventType !== "OBJECT_FINALIZE") return { kind: "ignored", reason: `storage event ${eventType}` };
    const { bucketId, objectId, objectGeneration } = attributes;
    if (!bucketId || !objectId) {
      return { kind: "invalid", reason: "a storage notification without bucketId or objectId" };
    }
    return {
      kind: "chunk",
      chunk: withoutUndefined({ bucket: bucketId, name: objectId, generation: objectGeneration }),
    };
  }
  if (attributes[CHUNK_ATTRIBUTE] === undefined) {
    return { kind: "invalid", reason: "neither a storage notification nor an enrollment chunk" };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(parsed.data.message.data ?? "", "base64").toString("utf8"));
  } catch {
    return { kind: "invalid", reason: "an enrollment chunk whose data is not JSON" };
  }
  const chunk = ChunkMessageSchema.safeParse(json);
  if (!chunk.success) return { kind: "invalid", reason: "an enrollment chunk without bucket and name" };
  return { kind: "chunk", chunk: withoutUndefined(chunk.data) };
};

/** Reads any event the enrollment function receives into the chunk it asks for. */
export const enrollmentTriggerOf = (event: CloudEvent<unknown>): EnrollmentTrigger => {
  if (event.type === STORAGE_FINALIZED) {
    const object = StorageObjectSchema.safeParse(event.data);
    if (!object.success) return { kind: "invalid", reason: "a finalized event without bucket and name" };
    return { kind: "chunk", chunk: withoutUndefined(object.data) };
  }
  if (event.type === PUBSUB_PUBLISHED) return fromPubSub(event.data);
  return { kind: "invalid", reason: `unexpected event type ${String(event.type)}` };
};

/** The hand-on message for the chunk after this one. */
export const chunkMessageOf = (
  chunk: AudienceChunk,
): { data: Buffer; attributes: Record<string, string> } => ({
  data: Buffer.from(JSON.stringify(chunk)),
  attributes: { [CHUNK_ATTRIBUTE]: String(chunk.fromLine ?? 1) },
});
