import { describe, expect, it } from "vitest";
import type { SmsEvent } from "../../../core/events/schema";
import type { SentMessage } from "../../../core/ports";
import {
  answeredMessage,
  batchMessageReads,
  type MessageReads,
} from "../../../core/processing/answered-message";

const message = (messageId: string, phoneNumber = "+14155550100"): SentMessage => ({
  messageId,
  phoneNumber,
  sentAt: "2026-12-01T10:00:00.000Z",
  campaignId: `campaign-of-${messageId}`,
});

/** A message log that counts its reads. */
const countingLog = (messages: SentMessage[]) => {
  const reads: string[] = [];
  const log: MessageReads = {
    get: async (id) => {
      reads.push(`get ${id}`);
      return messages.find((m) => m.messageId === id);
    },
    lastTo: async (phone) => {
      reads.push(`lastTo ${phone}`);
      return messages.filter((m) => m.phoneNumber === phone).at(-1);
    },
  };
  return { log, reads };
};

const reply = (fields: Partial<SmsEvent>): SmsEvent =>
  ({
    eventId: "e1",
    kind: "received",
    occurredAt: "2026-12-01T10:05:00.000Z",
    provider: "simulated",
    phoneNumber: "+14155550100",
    ...fields,
  }) as SmsEvent;

describe("the message a reply answers", () => {
  it("is the in-reply-to message when the log has it, else the newest message to the number", async () => {
    const { log } = countingLog([message("m1"), message("m2")]);
    expect((await answeredMessage(reply({ inReplyTo: "m1" }), log))?.messageId).toBe("m1");
    expect((await answeredMessage(reply({ inReplyTo: "gone" }), log))?.messageId).toBe("m2");
    expect(await answeredMessage(reply({ phoneNumber: undefined }), log)).toBeUndefined();
  });
});

describe("a batch's reads of the message log", () => {
  it("answers messages the batch knows without a read, and reads each other id or number once", async () => {
    const { log, reads } = countingLog([message("m1"), message("m2", "+14155550199")]);
    const batch = batchMessageReads(new Map([["m9", message("m9")]]), log);
    const found = await Promise.all([
      batch.get("m9"),
      batch.get("m1"),
      batch.get("m1"),
      batch.lastTo("+14155550199"),
      batch.lastTo("+14155550199"),
    ]);
    expect(found.map((m) => m?.messageId)).toEqual(["m9", "m1", "m1", "m2", "m2"]);
    expect(reads).toEqual(["get m1", "lastTo +14155550199"]);
  });
});
