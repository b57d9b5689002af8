import { describe, expect, it } from "vitest";
import type { MessageLog, SentMessage } from "../../core/ports";
import { INDEX_SETTLE, type Make, uniqueId, uniquePhone } from "./support";

const message = (overrides: Partial<SentMessage> = {}): SentMessage => ({
  messageId: uniqueId("msg"),
  phoneNumber: uniquePhone(),
  sentAt: "2026-11-24T10:00:00.000Z",
  campaignId: uniqueId("campaign"),
  journeyId: uniqueId("journey"),
  subscriberId: uniqueId("sub"),
  ...overrides,
});

/** recordAll where the adapter has it, record() one by one where it has not (as core does). */
const recordAll = async (log: MessageLog, messages: SentMessage[]) => {
  if (log.recordAll) await log.recordAll(messages);
  else for (const m of messages) await log.record(m);
};

export function messageLogContract(name: string, make: Make<MessageLog>): void {
  describe(`MessageLog contract: ${name}`, () => {
    it("reads back a recorded message by id", async () => {
      const log = await make();
      const sent = message();
      await log.record(sent);
      expect(await log.get(sent.messageId)).toEqual(sent);
    });

    it("keeps the first record of a message id when it is recorded again", async () => {
      const log = await make();
      const sent = message();
      await log.record(sent);
      await log.record({ ...sent, campaignId: "other" });
      expect(await log.get(sent.messageId)).toEqual(sent);
    });

    it("returns the newest message to a number, even when recorded out of order", async () => {
      const log = await make();
      const phoneNumber = uniquePhone();
      const newest = message({ phoneNumber, sentAt: "2026-11-24T12:00:00.000Z" });
      const older = message({ phoneNumber, sentAt: "2026-11-24T09:00:00.000Z" });
      await log.record(newest);
      await log.record(older);
      await expect.poll(() => log.lastTo(phoneNumber), INDEX_SETTLE).toEqual(newest);
    });

    it("keeps optional links absent when the message had none", async () => {
      const log = await make();
      const bare: SentMessage = {
        messageId: uniqueId("msg"),
        phoneNumber: uniquePhone(),
        sentAt: "2026-11-24T10:00:00.000Z",
      };
      await log.record(bare);
      expect(await log.get(bare.messageId)).toEqual(bare);
    });

    it("records many at once as record() would: new ones kept, logged ones and repeats first-wins", async () => {
      const log = await make();
      const logged = message();
      await log.record(logged);
      const fresh = Array.from({ length: 120 }, () => message());
      const repeat = { ...fresh[3], campaignId: "later" };
      // One chunk with a logged message in it (the replay path), and more messages than one request takes.
      await recordAll(log, [
        ...fresh.slice(0, 10),
        { ...logged, campaignId: "later" },
        repeat,
        ...fresh.slice(10),
      ]);
      expect(await log.get(logged.messageId)).toEqual(logged);
      expect(await Promise.all(fresh.map((m) => log.get(m.messageId)))).toEqual(fresh);
      await recordAll(log, []);
    });

    it("answers concurrent reads each with its own message", async () => {
      const log = await make();
      const sent = Array.from({ length: 5 }, () => message());
      for (const m of sent) await log.record(m);
      const ids = [...sent.map((m) => m.messageId), uniqueId("missing"), sent[0].messageId];
      expect(await Promise.all(ids.map((id) => log.get(id)))).toEqual([...sent, undefined, sent[0]]);
    });

    it("lists the messages to a number in a sentAt range, ends included, oldest first, and only that number's", async () => {
      const log = await make();
      const phoneNumber = uniquePhone();
      const at = (time: string) => message({ phoneNumber, sentAt: `2026-11-24T${time}.000Z` });
      const [before, first, second, third, after] = [
        at("09:59:59"),
        at("10:00:00"),
        at("10:01:00"),
        at("10:05:00"),
        at("10:05:01"),
      ];
      // Recorded out of order, with another number's message inside the range.
      for (const m of [third, after, first, before, second]) await log.record(m);
      await log.record(message({ sentAt: "2026-11-24T10:02:00.000Z" }));
      const range = { from: first.sentAt, until: third.sentAt, limit: 10 };
      await expect
        .poll(() => log.sentBetween(phoneNumber, range), INDEX_SETTLE)
        .toEqual([first, second, third]);
    });

    it("bounds the range by its limit, keeping the oldest messages", async () => {
      const log = await make();
      const phoneNumber = uniquePhone();
      const sent = [3, 1, 4, 2].map((minute) =>
        message({ phoneNumber, sentAt: `2026-11-24T10:0${minute}:00.000Z` }),
      );
      await recordAll(log, sent);
      const range = { from: "2026-11-24T10:00:00.000Z", until: "2026-11-24T11:00:00.000Z", limit: 2 };
      // Settle on the whole range first, so the bounded read is not judged on a lagging index.
      await expect
        .poll(async () => (await log.sentBetween(phoneNumber, { ...range, limit: 10 })).length, INDEX_SETTLE)
        .toBe(4);
      expect(await log.sentBetween(phoneNumber, range)).toEqual([sent[1], sent[3]]);
    });

    it("lists nothing for a number with no message in the range", async () => {
      const log = await make();
      const phoneNumber = uniquePhone();
      await log.record(message({ phoneNumber, sentAt: "2026-11-24T09:00:00.000Z" }));
      const range = { from: "2026-11-24T10:00:00.000Z", until: "2026-11-24T11:00:00.000Z", limit: 10 };
      expect(await log.sentBetween(phoneNumber, range)).toEqual([]);
      expect(await log.sentBetween(uniquePhone(), range)).toEqual([]);
    });

    it("returns undefined for an unknown message id or number", async () => {
      const log = await make();
      expect(await log.get(uniqueId("missing"))).toBeUndefined();
      expect(await log.lastTo(uniquePhone())).toBeUndefined();
    });
  });
}
