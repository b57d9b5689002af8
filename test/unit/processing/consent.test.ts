import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ConsentEntry, ConsentRecord } from "../../../core/ports";
import {
  CONSENT_GENESIS_HASH,
  canonicalConsentText,
  consentHashOf,
  headOf,
  nextConsentEntry,
  verifyChain,
  verifyHead,
} from "../../../core/processing/consent";

const record = (n: number, overrides: Partial<ConsentRecord> = {}): ConsentRecord => ({
  phoneNumber: "+12125550101",
  action: n % 2 === 1 ? "opt_out" : "opt_in",
  source: "reply_keyword",
  wording: n % 2 === 1 ? "STOP" : "START",
  at: new Date(Date.UTC(2026, 5, 16, 18, n)).toISOString(),
  eventId: `evt-${n}`,
  ...overrides,
});

function chainOf(records: ConsentRecord[]): ConsentEntry[] {
  const chain: ConsentEntry[] = [];
  for (const r of records) chain.push(nextConsentEntry(r, chain.at(-1)));
  return chain;
}

describe("consent hash chain", () => {
  it("hashes the same entry to the same value whatever order its keys were read in", () => {
    const entry = nextConsentEntry(record(1), undefined);
    const reordered = Object.fromEntries(Object.entries(entry).reverse()) as unknown as ConsentEntry;
    expect(canonicalConsentText(reordered)).toBe(canonicalConsentText(entry));
    expect(consentHashOf(reordered)).toBe(entry.hash);
  });

  it("starts each number's chain at sequence 1 on the genesis hash and links every entry to the one before", () => {
    const chain = chainOf([record(1), record(2), record(3)]);
    expect(chain.map((e) => e.sequence)).toEqual([1, 2, 3]);
    expect(chain[0]?.previousHash).toBe(CONSENT_GENESIS_HASH);
    expect(chain[2]?.previousHash).toBe(chain[1]?.hash);
    expect(verifyChain(chain)).toEqual({ ok: true, entries: 3 });
    expect(verifyChain([])).toEqual({ ok: true, entries: 0 });
  });

  it("names an entry whose content was altered", () => {
    const chain = chainOf([record(1), record(2), record(3)]);
    const tampered = chain.map((e) => (e.sequence === 2 ? { ...e, at: "2020-01-01T00:00:00.000Z" } : e));
    expect(verifyChain(tampered)).toMatchObject({ ok: false, index: 1, sequence: 2, eventId: "evt-2" });
  });

  it("names the entry after one that was removed, and an entry re-hashed without its successor", () => {
    const chain = chainOf([record(1), record(2), record(3)]);
    expect(verifyChain([chain[0], chain[2]] as ConsentEntry[])).toMatchObject({
      ok: false,
      index: 1,
      sequence: 3,
    });
    // Rewriting entry 2 and fixing its own hash still breaks the link from entry 3.
    const forged = { ...(chain[1] as ConsentEntry), action: "opt_out" as const };
    const rehashed = { ...forged, hash: consentHashOf(forged) };
    expect(verifyChain([chain[0], rehashed, chain[2]] as ConsentEntry[])).toMatchObject({
      ok: false,
      sequence: 3,
      reason: expect.stringContaining("previousHash"),
    });
  });

  it("detects any single changed field of any entry (property)", () => {
    const fields = [
      "phoneNumber",
      "action",
      "source",
      "wording",
      "at",
      "eventId",
      "previousHash",
      "hash",
    ] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.nat(),
        fc.constantFrom(...fields),
        fc.string({ minLength: 1 }),
        (length, pick, field, noise) => {
          const chain = chainOf(Array.from({ length }, (_, i) => record(i + 1)));
          const index = pick % length;
          const original = chain[index] as ConsentEntry;
          const altered = { ...original, [field]: `${String(original[field])}${noise}` };
          const verdict = verifyChain(chain.map((e, i) => (i === index ? altered : e)));
          return !verdict.ok && verdict.index === index;
        },
      ),
    );
  });
});

describe("the anchored head of a chain", () => {
  const chain = chainOf([record(1), record(2), record(3)]);
  const head = headOf(chain[2] as ConsentEntry);

  it("holds for the chain it was taken from, and for one appended to since (the anchor lagging a crash)", () => {
    expect(verifyHead(chain, head)).toEqual({ ok: true, entries: 3 });
    const longer = [...chain, nextConsentEntry(record(4), chain[2])];
    expect(verifyHead(longer, head)).toEqual({ ok: true, entries: 4 });
  });

  it("shows removed last entries, which the chain alone cannot", () => {
    const truncated = chain.slice(0, 2);
    expect(verifyChain(truncated)).toEqual({ ok: true, entries: 2 });
    expect(verifyHead(truncated, head)).toMatchObject({
      ok: false,
      index: 2,
      sequence: 3,
      reason: expect.stringMatching(/ends at sequence 2 but its anchored head is sequence 3/),
    });
    expect(verifyHead([], head)).toMatchObject({ ok: false, index: 0, sequence: 3 });
  });

  it("shows a last entry rewritten with a hash recomputed to match, which the chain alone cannot", () => {
    const last = chain[2] as ConsentEntry;
    const changed = { ...last, action: "opt_in" as const, wording: "START" };
    const rewritten = [...chain.slice(0, 2), { ...changed, hash: consentHashOf(changed) }];
    expect(verifyChain(rewritten)).toEqual({ ok: true, entries: 3 });
    expect(verifyHead(rewritten, head)).toMatchObject({ ok: false, index: 2, sequence: 3, eventId: "evt-3" });
  });
});
