import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  JsonlRevocationClockStore,
  JsonlRevocationClocksEraser,
} from "../../providers/local/runtime/jsonl-revocation-clocks";
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

describe("erasing a subject's clocks from the file", () => {
  const ANA = "+12125550101";
  const BEN = "+12125550102";
  const clock = (eventId: string, phoneNumber: string, subscriberId?: string) => ({
    eventId,
    phoneNumber,
    optedOutAt: "2026-06-16T18:00:00.000Z",
    source: "reply_keyword" as const,
    confirmationExpected: true,
    ...(subscriberId ? { subscriberId } : {}),
  });
  const seed = async (path: string) => {
    const store = await JsonlRevocationClockStore.open(path);
    await store.start(clock("stop-ana", ANA, "sub-ana"));
    await store.start(clock("stop-ben", BEN));
    await store.confirm("stop-ana", "2026-06-16T18:00:01.000Z", "msg-ana");
    await store.settle("stop-ana", { status: "met", checkedAt: "2026-06-16T18:06:00.000Z", failures: [] });
    return store;
  };
  const subject = { phoneNumber: ANA, subscriberIds: ["sub-ana"] };

  it("drops the clock's start, confirmation and verdict lines, keeps the others, and says which", async () => {
    const path = freshPath();
    (await seed(path)).close();
    const erased = await new JsonlRevocationClocksEraser(path).erase(subject);
    expect(erased).toEqual({ store: "revocation-clocks", removed: 1, keys: ["stop-ana"] });
    const text = readFileSync(path, "utf8");
    expect(text).not.toContain(ANA.slice(1));
    expect(text).not.toContain("stop-ana");
    expect(text.trim().split("\n")).toHaveLength(1);
    const reopened = await JsonlRevocationClockStore.open(path);
    expect((await reopened.list()).map((c) => c.eventId)).toEqual(["stop-ben"]);
    reopened.close();
    expect((await new JsonlRevocationClocksEraser(path).erase(subject)).removed).toBe(0);
  });

  it("erases through an open store, which keeps appending to the rewritten file", async () => {
    const path = freshPath();
    const store = await seed(path);
    expect((await store.erase(subject)).keys).toEqual(["stop-ana"]);
    expect((await store.list()).map((c) => c.eventId)).toEqual(["stop-ben"]);
    await store.start(clock("stop-ben-2", BEN));
    store.close();
    expect(readFileSync(path, "utf8")).not.toContain(ANA.slice(1));
    const reopened = await JsonlRevocationClockStore.open(path);
    expect((await reopened.list()).map((c) => c.eventId)).toEqual(["stop-ben", "stop-ben-2"]);
    reopened.close();
  });
});
