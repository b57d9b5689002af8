import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { JsonlJourneyStore } from "../../providers/local/runtime/jsonl-journey-store";
import { journeyStoreContract } from "./journeys.contract";

const dir = mkdtempSync(join(tmpdir(), "jsonl-journeys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const freshPath = () => join(dir, `journeys-${++files}.jsonl`);

journeyStoreContract("jsonl file", () => JsonlJourneyStore.open(freshPath()));

describe("JsonlJourneyStore across reopen", () => {
  it("reloads the latest state of each journey and still rejects a stale version", async () => {
    const path = freshPath();
    const first = await JsonlJourneyStore.open(path);
    const state = {
      journeyId: "welcome-series",
      subscriberId: "s1",
      phoneNumber: "+12125550101",
      stepId: "answer",
      status: "waiting" as const,
      wakeAt: "2026-06-16T16:00:00.000Z",
      version: 1,
      updatedAt: "2026-06-15T16:00:00.000Z",
    };
    expect(await first.put(state, 0)).toBe(true);
    expect(await first.put({ ...state, stepId: "follow-up", status: "active", version: 2 }, 1)).toBe(true);
    first.close();

    const reopened = await JsonlJourneyStore.open(path);
    expect(await reopened.get("welcome-series", "s1")).toMatchObject({ stepId: "follow-up", version: 2 });
    expect(await reopened.put({ ...state, version: 2 }, 1)).toBe(false);
    expect(await reopened.due("2026-06-17T00:00:00.000Z", 10)).toEqual([]);
    reopened.close();
  });
});
