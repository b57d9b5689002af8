import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { JsonlOptOutStore } from "../../providers/local/runtime/jsonl-opt-out-store";
import { optOutStoreContract } from "./opt-outs.contract";

const dir = mkdtempSync(join(tmpdir(), "jsonl-opt-outs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const freshPath = () => join(dir, `opt-outs-${++files}.jsonl`);

optOutStoreContract("jsonl file", () => JsonlOptOutStore.open(freshPath()));

describe("JsonlOptOutStore across reopen", () => {
  it("keeps a STOP, an opt-in and the confirming event's identity for the next command", async () => {
    const path = freshPath();
    const first = await JsonlOptOutStore.open(path);
    await first.optOut("+12125550101", "2026-06-16T18:10:00.000Z", "stop-1");
    await first.optOut("+12125550102", "2026-06-16T18:11:00.000Z", "stop-2");
    await first.optIn("+12125550102");
    first.close();

    const reopened = await JsonlOptOutStore.open(path);
    expect(await reopened.isOptedOut("+12125550101")).toBe(true);
    expect(await reopened.isOptedOut("+12125550102")).toBe(false);
    // A retry of the same STOP still counts as its first time; another STOP does not.
    expect(await reopened.optOut("+12125550101", "2026-06-16T18:12:00.000Z", "stop-1")).toBe(true);
    expect(await reopened.optOut("+12125550101", "2026-06-16T18:12:00.000Z", "stop-3")).toBe(false);
    reopened.close();
  });
});
