/**
 * The Azure run's dead letter: entries the functions send through the stack's ServiceBusDeadLetter
 * onto the in-process queue keep their raw bytes, and are sorted by consumer and kind.
 */
import { describe, expect, it } from "vitest";
import { decodeDeadLetter, ServiceBusDeadLetter } from "../../../providers/azure/runtime/dead-letter";
import { sortAzureDeadLetters } from "../../../providers/local/clouds/azure-dead-letters";
import { InProcessQueue } from "../../../providers/local/servicebus/in-process-queue";

const at = "2026-06-16T18:00:00.000Z";

describe("the Azure run's dead letter", () => {
  it("keeps each entry's raw bytes and sorts entries by consumer: undecodable, given up after attempts, abandoned by the host", async () => {
    const queue = new InProcessQueue("dead-letter");
    const deadLetter = new ServiceBusDeadLetter(queue.sender);
    const garbled = new Uint8Array([0x5b, 0x7b, 0x22, 0x69, 0xff, 0x00]);
    for (const consumer of ["analytics", "responses", "archive"]) {
      await deadLetter.send({
        raw: garbled,
        reason: "invalid JSON",
        source: `${consumer}:sms-events/2-17`,
        receivedAt: at,
      });
    }
    await deadLetter.send({
      raw: new Uint8Array([1]),
      reason: "failed after 3 attempts: timeout",
      source: "archive:sms-events/0-4",
      receivedAt: at,
    });
    await deadLetter.send({
      raw: new Uint8Array([2]),
      reason: "line 4: invalid_number: x",
      source: "enrollment:campaigns/c/audience.csv#line=4",
      receivedAt: at,
    });
    expect(decodeDeadLetter(queue.messages[0].body).raw).toEqual(garbled);
    expect(sortAzureDeadLetters(queue.messages, [{ consumer: "responses", records: 7 }])).toEqual({
      undecodable: { analytics: 1, responses: 1, archive: 1, enrollment: 1 },
      abandoned: { archive: 1, responses: 7 },
      messages: 6,
    });
  });

  it("drops a second message with the same id on a queue with duplicate detection, as the enrollment queue does", async () => {
    const queue = new InProcessQueue("enrollment", { duplicateDetection: true });
    await queue.sender.sendMessages({ messageId: "c:121:", body: { fromLine: 121 } });
    await queue.sender.sendMessages([{ messageId: "c:121:", body: { fromLine: 121 } }]);
    expect(queue.messages).toHaveLength(1);
    expect(queue.receive()?.body).toEqual({ fromLine: 121 });
    expect(queue.receive()).toBeUndefined();
  });
});
