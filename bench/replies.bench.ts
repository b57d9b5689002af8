/**
 * Opt-out classification throughput: the responses consumer's reading of a reply (keyword, intent
 * rules, misspelling correction) against the keyword classifier alone on the same replies. The
 * baseline classifies every reply afresh: classifyReply's cache would make it a Map lookup, and
 * the ratio would say nothing about the work (it read 0.004 that way).
 * The replies are the labelled set (test/fixtures/replies/), every language and hard negative,
 * shuffled with a fixed seed and repeated to a steady run.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { classifyReplyUncached } from "../core/processing/classify";
import { classifyReplyIntent } from "../core/processing/reply-intent";
import { type BenchResult, benchResult, bestTimesMs, perSecond, seededRandom } from "./lib";

const REPLIES_FILE = join(import.meta.dirname, "..", "test", "fixtures", "replies", "replies.jsonl");
const TARGET_REPLIES = 50_000;

function corpus(): string[] {
  const texts = readFileSync(REPLIES_FILE, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => (JSON.parse(line) as { text: string }).text);
  const random = seededRandom(11);
  return Array.from({ length: TARGET_REPLIES }, () => texts[Math.floor(random() * texts.length)]);
}

export async function run(): Promise<BenchResult[]> {
  const replies = corpus();
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
      `opt-out classification (${replies.length.toLocaleString("en-US")} replies)`,
      perSecond(replies.length, intentMs),
      "replies/s",
      perSecond(replies.length, keywordMs),
      "keyword + sentiment alone, uncached",
    ),
  ];
}
