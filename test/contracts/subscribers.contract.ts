import { describe, expect, it } from "vitest";
import type { Subscriber, SubscriberDirectory } from "../../core/ports";
import { INDEX_SETTLE, type Make, uniqueId, uniquePhone } from "./support";

const subscriber = (overrides: Partial<Subscriber> = {}): Subscriber => ({
  subscriberId: uniqueId("sub"),
  phoneNumber: uniquePhone(),
  timeZone: "America/Chicago",
  attributes: { segment: "vip", firstName: "Ada" },
  ...overrides,
});

export function subscriberDirectoryContract(name: string, make: Make<SubscriberDirectory>): void {
  describe(`SubscriberDirectory contract: ${name}`, () => {
    it("reads back an upserted subscriber by id and by phone", async () => {
      const directory = await make();
      const ada = subscriber();
      await directory.upsert(ada);
      expect(await directory.get(ada.subscriberId)).toEqual(ada);
      await expect.poll(() => directory.findByPhone(ada.phoneNumber), INDEX_SETTLE).toEqual(ada);
    });

    it("replaces a subscriber on a second upsert", async () => {
      const directory = await make();
      const ada = subscriber();
      await directory.upsert(ada);
      const moved = { ...ada, timeZone: "Europe/Paris", attributes: { segment: "lapsed" } };
      await directory.upsert(moved);
      expect(await directory.get(ada.subscriberId)).toEqual(moved);
    });

    it("returns undefined for an unknown id or phone", async () => {
      const directory = await make();
      expect(await directory.get(uniqueId("missing"))).toBeUndefined();
      expect(await directory.findByPhone(uniquePhone())).toBeUndefined();
    });

    it("lists every upserted subscriber", async () => {
      const directory = await make();
      const added = [subscriber(), subscriber({ timeZone: undefined })];
      delete added[1].timeZone;
      for (const s of added) await directory.upsert(s);
      const listed: Subscriber[] = [];
      for await (const s of directory.list()) listed.push(s);
      expect(listed).toEqual(expect.arrayContaining(added));
    });
  });
}
