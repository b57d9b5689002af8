import { describe, expect, it } from "vitest";
import { distinctReplies, labelledReplyTexts } from "../../../bench/replies-corpus";
import { classifyReplyIntent } from "../../../core/processing/reply-intent";

const labelled = labelledReplyTexts();

describe("the opt-out benchmark's replies", () => {
  const replies = distinctReplies(labelled, 5_000);

  it("are all distinct texts, so neither classifyReply's cache nor a repeated text answers for the classifier", () => {
    expect(replies).toHaveLength(5_000);
    expect(new Set(replies.map((reply) => reply.text)).size).toBe(5_000);
  });

  it("come from every labelled reply but a few, and are the same on every machine (seeded)", () => {
    expect(new Set(replies.map((reply) => reply.source)).size).toBeGreaterThan(labelled.length * 0.95);
    expect(distinctReplies(labelled, 50).map((reply) => reply.text)).toEqual(
      replies.slice(0, 50).map((reply) => reply.text),
    );
    expect(distinctReplies(labelled, 50, 12)).not.toEqual(distinctReplies(labelled, 50));
  });

  it("are the labelled replies re-typed: one that differs only in case and final punctuation keeps its decision", () => {
    const bare = (text: string) => text.toLowerCase().replace(/[.! ]+$/u, "");
    const recased = replies.filter((reply) => bare(reply.text) === bare(reply.source));
    expect(recased.length).toBeGreaterThan(1_000);
    const changed = recased.filter(
      (reply) =>
        classifyReplyIntent(reply.text).optOut.decision !== classifyReplyIntent(reply.source).optOut.decision,
    );
    expect(changed.map((reply) => [reply.source, reply.text])).toEqual([]);
  });
});
