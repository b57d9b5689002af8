/**
 * The opt-out benchmark's replies: the labelled set re-typed the way people type, so that every
 * reply is a text the classifier has not seen. The responses consumer caches answers per text
 * (classifyReply) and corrections per word; a benchmark over the 348 labelled texts repeated would
 * time those caches, not the classifier.
 */

import type { Random } from "../providers/local/run/prng";
import { LABELLED_REPLIES_FILE, labelledReplies } from "../test/fixtures/replies/labelled";
import { seededRandom } from "./lib";

export const labelledReplyTexts = (file = LABELLED_REPLIES_FILE): string[] =>
  labelledReplies(file).map((reply) => reply.text);

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

const CASINGS: readonly ((text: string) => string)[] = [
  (text) => text,
  (text) => text.toLowerCase(),
  (text) => text.toUpperCase(),
  (text) => text.charAt(0).toUpperCase() + text.slice(1).toLowerCase(),
];
const ENDINGS = ["", "", ".", "!", "!!", " ", "..."];

/** A letter typed twice, or two neighbours swapped: the slips the classifier's correction undoes. */
function slip(word: string, random: Random): string {
  const at = 1 + Math.floor(random() * (word.length - 2));
  return random() < 0.7
    ? word.slice(0, at) + word[at] + word.slice(at)
    : word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
}

/** One re-typing of a reply: its casing, a slip in some longer words, its final punctuation. */
export function retype(text: string, random: Random): string {
  const words = pick(random, CASINGS)(text.replace(/[.!]+$/u, "")).split(" ");
  const slipped = words.map((word) =>
    /^\p{L}{4,}$/u.test(word) && random() < 0.2 ? slip(word, random) : word,
  );
  return slipped.join(" ") + pick(random, ENDINGS);
}

/**
 * `count` distinct replies, each a re-typing of a labelled one picked at random (seeded: the same
 * replies on every machine). Returns each with the labelled text it came from.
 */
export function distinctReplies(
  texts: readonly string[],
  count: number,
  seed = 11,
): { text: string; source: string }[] {
  const random = seededRandom(seed);
  const seen = new Set<string>();
  const replies: { text: string; source: string }[] = [];
  for (let attempts = 0; replies.length < count; attempts++) {
    if (attempts > count * 50) throw new Error(`only ${replies.length} distinct re-typings of the replies`);
    const source = pick(random, texts);
    const text = retype(source, random);
    if (seen.has(text)) continue;
    seen.add(text);
    replies.push({ text, source });
  }
  return replies;
}
