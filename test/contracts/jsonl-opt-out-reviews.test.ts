import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { JsonlOptOutReviewStore } from "../../providers/local/runtime/jsonl-opt-out-reviews";
import { optOutReviewStoreContract } from "./opt-out-reviews.contract";

const dir = mkdtempSync(join(tmpdir(), "jsonl-opt-out-reviews-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const freshPath = () => join(dir, `reviews-${++files}.jsonl`);

optOutReviewStoreContract("jsonl file", () => JsonlOptOutReviewStore.open(freshPath()));

describe("JsonlOptOutReviewStore across reopen", () => {
  it("keeps pending and decided reviews, and the hold they put on a number, for the next command", async () => {
    const path = freshPath();
    const review = (eventId: string, phoneNumber: string) => ({
      eventId,
      phoneNumber,
      text: "who is this",
      receivedAt: "2026-06-16T18:10:00.000Z",
      optOutConfidence: 0.7,
      rule: "phrase.en.wrong-number",
    });
    const first = await JsonlOptOutReviewStore.open(path);
    await first.put(review("reply-1", "+12125550101"));
    await first.put(review("reply-2", "+12125550102"));
    await first.decide("reply-2", "rejected", "2026-06-16T19:00:00.000Z");
    first.close();

    const reopened = await JsonlOptOutReviewStore.open(path);
    expect(await reopened.isHeld("+12125550101")).toBe(true);
    expect(await reopened.isHeld("+12125550102")).toBe(false);
    expect((await reopened.get("reply-2"))?.status).toBe("rejected");
    expect(await reopened.decide("reply-2", "accepted", "2026-06-16T20:00:00.000Z")).toMatchObject({
      status: "rejected",
      decidedAt: "2026-06-16T19:00:00.000Z",
    });
    expect((await reopened.list(10)).map((r) => r.eventId)).toEqual(["reply-1"]);
    reopened.close();
  });
});
