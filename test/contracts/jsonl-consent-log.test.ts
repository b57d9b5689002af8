import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ConsentEntry } from "../../core/ports";
import { verifyChain, verifyHead } from "../../core/processing/consent";
import { JsonlConsentLog } from "../../providers/local/runtime/jsonl-consent-log";
import { consentLogContract, consentRecord } from "./consent-log.contract";
import { uniquePhone } from "./support";

const dir = mkdtempSync(join(tmpdir(), "jsonl-consent-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const freshPath = () => join(dir, `consent-${++files}.jsonl`);

/** Rewrites one line of the file, as someone editing it by hand would. */
function editEntry(path: string, phone: string, sequence: number, change: Partial<ConsentEntry>): void {
  const lines = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const entry = JSON.parse(line) as ConsentEntry;
      return JSON.stringify(
        entry.phoneNumber === phone && entry.sequence === sequence ? { ...entry, ...change } : entry,
      );
    });
  writeFileSync(path, `${lines.join("\n")}\n`);
}

consentLogContract("jsonl file", async () => {
  const path = freshPath();
  const log = await JsonlConsentLog.open(path);
  return {
    log,
    tamper: async (phone, sequence, change) => {
      editEntry(path, phone, sequence, change);
      return JsonlConsentLog.open(path);
    },
  };
});

describe("JsonlConsentLog across reopen", () => {
  it("keeps the chain for the next command, continues it, and stays idempotent on the causing event", async () => {
    const path = freshPath();
    const phone = uniquePhone();
    const first = await JsonlConsentLog.open(path);
    const stop = consentRecord(phone, 1);
    const stored = await first.append(stop);
    first.close();

    const reopened = await JsonlConsentLog.open(path);
    expect(await reopened.append(stop)).toEqual(stored);
    await reopened.append(consentRecord(phone, 2));
    reopened.close();

    const entries = JsonlConsentLog.read(path);
    expect(entries.map((e) => e.sequence)).toEqual([1, 2]);
    expect(verifyChain(entries)).toEqual({ ok: true, entries: 2 });
  });
});

describe("JsonlConsentLog's anchored heads", () => {
  it("anchors each number's head beside the file, once per entry, so a removed last line shows", async () => {
    const path = freshPath();
    const phone = uniquePhone();
    const log = await JsonlConsentLog.open(path);
    const stop = consentRecord(phone, 1);
    await log.append(stop);
    await log.append(stop);
    const last = await log.append(consentRecord(phone, 2));
    log.close();
    expect(JsonlConsentLog.headOf(path, phone)).toEqual({ phoneNumber: phone, sequence: 2, hash: last.hash });
    expect(JsonlConsentLog.headOf(path, uniquePhone())).toBeUndefined();

    const lines = readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => line !== "");
    writeFileSync(path, `${lines.slice(0, -1).join("\n")}\n`);
    const head = JsonlConsentLog.headOf(path, phone)!;
    const remaining = JsonlConsentLog.read(path);
    expect(verifyChain(remaining)).toEqual({ ok: true, entries: 1 });
    expect(verifyHead(remaining, head)).toMatchObject({ ok: false, sequence: 2 });
  });
});
