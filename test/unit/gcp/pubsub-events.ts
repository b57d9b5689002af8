import { randomUUID } from "node:crypto";
import type { CloudEvent } from "@google-cloud/functions-framework";

export const TEST_PROJECT = "sms-emulated";
export const TEST_TOPIC = `projects/${TEST_PROJECT}/topics/sms-events-stream`;
export const TEST_SUBSCRIPTION = `projects/${TEST_PROJECT}/subscriptions/sms-events-stream-responses`;

/** What a Pub/Sub message carries: raw bytes, text, or any JSON value. */
export type MessagePayload = Uint8Array | string | object;

const bytesOf = (payload: MessagePayload): Buffer =>
  payload instanceof Uint8Array
    ? Buffer.from(payload)
    : Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload), "utf8");

/** A Pub/Sub messagePublished CloudEvent as Eventarc / the Functions Framework delivers it. */
export const pubsubCloudEvent = (
  payload: MessagePayload,
  messageId: string = randomUUID(),
  attributes: Record<string, string> = {},
): CloudEvent<unknown> => ({
  specversion: "1.0",
  id: messageId,
  type: "google.cloud.pubsub.topic.v1.messagePublished",
  source: `//pubsub.googleapis.com/${TEST_TOPIC}`,
  time: "2026-11-24T10:00:31.000Z",
  datacontenttype: "application/json",
  data: {
    subscription: TEST_SUBSCRIPTION,
    message: {
      data: bytesOf(payload).toString("base64"),
      messageId,
      publishTime: "2026-11-24T10:00:31.000Z",
      attributes,
    },
  },
});

/** The body a push subscription posts (the Functions Framework turns it into the CloudEvent above). */
export const pubsubPushBody = (
  payload: MessagePayload,
  messageId: string = randomUUID(),
  attributes: Record<string, string> = {},
) => ({
  subscription: TEST_SUBSCRIPTION,
  message: {
    data: bytesOf(payload).toString("base64"),
    messageId,
    publishTime: "2026-11-24T10:00:31.000Z",
    attributes,
  },
});
