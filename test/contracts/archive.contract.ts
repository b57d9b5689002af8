import { describe, expect, it } from "vitest";
import type { ArchiveStore } from "../../core/ports";
import { type Make, uniqueId } from "./support";

const bytes = (text: string) => new TextEncoder().encode(text);

export function archiveStoreContract(name: string, make: Make<ArchiveStore>): void {
  describe(`ArchiveStore contract: ${name}`, () => {
    it("reads back the exact bytes it stored", async () => {
      const store = await make();
      const key = `${uniqueId("contract")}/events/dt=2026-11-24/a.parquet`;
      const body = new Uint8Array([80, 65, 82, 49, 0, 255, 80, 65, 82, 49]);
      await store.put(key, body, "application/vnd.apache.parquet");
      expect([...((await store.get(key)) ?? [])]).toEqual([...body]);
    });

    it("overwrites an existing key instead of keeping two objects", async () => {
      const store = await make();
      const prefix = `${uniqueId("contract")}/`;
      const key = `${prefix}batch.parquet`;
      await store.put(key, bytes("first"), "application/octet-stream");
      await store.put(key, bytes("second"), "application/octet-stream");
      expect(new TextDecoder().decode(await store.get(key))).toBe("second");
      expect(await store.list(prefix)).toEqual([key]);
    });

    it("returns undefined for a missing key", async () => {
      const store = await make();
      expect(await store.get(`${uniqueId("missing")}/nothing.parquet`)).toBeUndefined();
    });

    it("lists only the keys under a prefix, in lexicographic order", async () => {
      const store = await make();
      const root = uniqueId("contract");
      const inside = [`${root}/events/dt=2026-11-24/b.parquet`, `${root}/events/dt=2026-11-24/a.parquet`];
      const outside = [
        `${root}/events/dt=2026-11-25/c.parquet`,
        `${root}-other/events/dt=2026-11-24/d.parquet`,
      ];
      for (const key of [...inside, ...outside]) await store.put(key, bytes(key), "application/octet-stream");
      expect(await store.list(`${root}/events/dt=2026-11-24/`)).toEqual([...inside].sort());
      expect(await store.list(`${root}/events/`)).toHaveLength(3);
    });
  });
}
