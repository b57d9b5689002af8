/**
 * Opt-out classification throughput: the responses consumer's reading of a reply (keyword, intent
 * rules, misspelling correction) against the keyword classifier alone, uncached, on the same
 * replies. Every reply is a distinct text, the labelled set (test/fixtures/replies/, every language
 * and hard negative) re-typed with a fixed seed (bench/replies-corpus.ts): classifyReply keeps each
 * text's answer, so the labelled texts repeated would time a Map lookup (the ratio read 0.004 that
 * way, then 0.282 with only the baseline uncached).
 */
import { classifyReplyUncached } from "../core/processing/classify";
import { classifyReplyIntent } from "../core/processing/reply-intent";
import { type BenchResult, benchResult, bestTimesMs, perSecond } from "./lib";
import { distinctReplies, labelledReplyTexts } from "./replies-corpus";

const DISTINCT_REPLIES = 20_000;
/**
 * Lenient: 0.14-0.17 in three runs on the 2-core development machine at load average 5. It catches a
 * rule or a correction search gone quadratic, not a few percent.
 */
const FLOOR = { min: 0.05 };

export async function run(): Promise<BenchResult[]> {
  const replies = distinctReplies(labelledReplyTexts(), DISTINCT_REPLIES).map((reply) => reply.text);
  let sink = 0;
  const { intentMs, keywordMs } = bestTimesMs({
    intentMs: () => {
      for (const text of replies) sink += classifyReplyIntent(text).optOut.optOutConfidence;
    },
    keywordMs: () => {
      for (const text of replies) sink += classifyReplyUncached(text).category.length;
    },
  });
  if (Number.isNaN(sink)) throw new Error("unreachable: keeps the calls from being optimized away");
  return [
    benchResult(
      `opt-out classification (${replies.length.toLocaleString("en-US")} distinct replies)`,
      perSecond(replies.length, intentMs),
      "replies/s",
      perSecond(replies.length, keywordMs),
      "keyword + sentiment alone, uncached",
      FLOOR,
    ),
  ];
}
