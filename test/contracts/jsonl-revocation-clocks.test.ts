import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { JsonlRevocationClockStore } from "../../providers/local/runtime/jsonl-revocation-clocks";
import { revocationClockStoreContract } from "./revocation-clocks.contract";

const dir = mkdtempSync(join(tmpdir(), "jsonl-revocation-clocks-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const freshPath = () => join(dir, `clocks-${++files}.jsonl`);

revocationClockStoreContract("jsonl file", () => JsonlRevocationClockStore.open(freshPath()));

describe("JsonlRevocationClockStore across reopen", () => {
  it("keeps started, confirmed and judged clocks for the next command, first writes standing", async () => {
    const path = freshPath();
    const clock = (eventId: string) => ({
      eventId,
      phoneNumber: "+12125550101",
      optedOutAt: "2026-06-16T18:00:00.000Z",
      source: "reply_keyword" as const,
      confirmationExpected: true,
    });
    const first = await JsonlRevocationClockStore.open(path);
    await first.start(clock("stop-1"));
    await first.start(clock("stop-2"));
    await first.confirm("stop-1", "2026-06-16T18:00:01.000Z", "msg-1");
    await first.settle("stop-2", { status: "breached", checkedAt: "2026-06-16T18:06:00.000Z", failures: [] });
    first.close();

    const reopened = await JsonlRevocationClockStore.open(path);
    await reopened.confirm("stop-1", "2026-06-16T18:09:00.000Z", "msg-again");
    expect(
      await reopened.settle("stop-2", { status: "met", checkedAt: "2026-06-16T18:07:00.000Z", failures: [] }),
    ).toBe(false);
    expect(await reopened.list()).toEqual([
      { ...clock("stop-1"), confirmedAt: "2026-06-16T18:00:01.000Z", confirmationMessageId: "msg-1" },
      {
        ...clock("stop-2"),
        verdict: { status: "breached", checkedAt: "2026-06-16T18:06:00.000Z", failures: [] },
      },
    ]);
    reopened.close();
  });
});
