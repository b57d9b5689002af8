/** The part of `@google-cloud/pubsub`'s Topic the adapters use, so tests can pass their own. */
export interface PublishingTopic {
  publishMessage(message: {
    data: Buffer;
    attributes?: Record<string, string>;
    orderingKey?: string;
  }): Promise<string>;
  /** After a failed publish with an ordering key, the client pauses that key until resumed. */
  resumePublishing?(orderingKey: string): void;
}

/** Pub/Sub attribute values are at most 1024 bytes; an empty value is allowed but says nothing. */
export const attributeValue = (value: string, fallback = "unknown"): string =>
  Buffer.from(value || fallback)
    .subarray(0, 1024)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
