import { describe, expect, it } from "vitest";
import type { Notification, Notifier } from "../../core/ports";
import { type Make, uniqueId } from "./support";

export interface NotifierHarness {
  port: Notifier;
  /** Reads back what subscribers received (e.g. from a queue subscribed to the topic), when possible. */
  read?: () => Promise<Notification[]>;
}

export function notifierContract(name: string, make: Make<NotifierHarness>): void {
  describe(`Notifier contract: ${name}`, () => {
    it("delivers the notification's id, subject, message and attributes", async (ctx) => {
      const harness = await make();
      const notification: Notification = {
        id: `${uniqueId("evt")}:complaint`,
        subject: "Reply matched complaint",
        message: "This is a scam, stop texting me",
        attributes: { pattern: "complaint", campaignId: "spring-sale" },
      };
      await harness.port.publish(notification);
      if (!harness.read) return ctx.skip("adapter offers no read-back");
      const received = (await harness.read()).find((n) => n.id === notification.id);
      expect(received).toEqual(notification);
    });

    it("accepts the same notification id twice without failing", async () => {
      const { port } = await make();
      const notification: Notification = { id: uniqueId("dup"), subject: "s", message: "m", attributes: {} };
      await port.publish(notification);
      await expect(port.publish(notification)).resolves.toBeUndefined();
    });
  });
}
