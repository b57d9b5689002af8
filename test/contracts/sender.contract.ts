import { describe, expect, it } from "vitest";
import type { SmsSender } from "../../core/ports";
import { type Make, uniqueId, uniquePhone } from "./support";

const STATUSES = ["sent", "throttled", "opted_out", "invalid_number", "failed"];

export function smsSenderContract(name: string, make: Make<SmsSender>): void {
  describe(`SmsSender contract: ${name}`, () => {
    it("sends a valid request and returns a message id", async () => {
      const sender = await make();
      const result = await sender.send({
        to: uniquePhone(),
        body: "Reply YES to confirm",
        messageType: "transactional",
        idempotencyKey: uniqueId("send"),
      });
      expect(result.status).toBe("sent");
      if (result.status === "sent") expect(result.messageId).not.toBe("");
    });

    it("answers with one of the documented outcomes instead of throwing for a promotional send", async () => {
      const sender = await make();
      const result = await sender.send({
        to: uniquePhone(),
        body: "20% off today",
        messageType: "promotional",
        campaignId: uniqueId("campaign"),
        idempotencyKey: uniqueId("send"),
      });
      expect(STATUSES).toContain(result.status);
    });
  });
}
