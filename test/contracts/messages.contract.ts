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

    it("returns undefined for an unknown message id or number", async () => {
      const log = await make();
      expect(await log.get(uniqueId("missing"))).toBeUndefined();
      expect(await log.lastTo(uniquePhone())).toBeUndefined();
    });
  });
}
