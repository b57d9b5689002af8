/**
 * Single typing slips, applied deterministically: the opt-out tests type every labelled reply again
 * with one slip in one word and check the classifier still reads it the same way.
 */
import { hashString, mulberry32, type Random } from "../../../providers/local/run/prng";

export type SlipKind = "double" | "undouble" | "swap" | "drop" | "extra" | "substitute";

/** Shortest word each kind applies to: a dropped, added or changed letter only from five letters. */
export const SLIP_MIN_LENGTH: Record<SlipKind, number> = {
  double: 4,
  undouble: 4,
  swap: 4,
  drop: 5,
  extra: 5,
  substitute: 5,
};
export const SLIP_KINDS = Object.keys(SLIP_MIN_LENGTH) as SlipKind[];

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const randomIndex = (random: Random, length: number) => Math.floor(random() * length);
const sameCase = (letter: string, like: string) =>
  like === like.toUpperCase() ? letter.toUpperCase() : letter;

/** `word` with one slip of `kind`, or undefined where it cannot change the word ("undouble" of "stop"). */
export function slipWord(word: string, kind: SlipKind, random: Random): string | undefined {
  const chars = [...word];
  if (chars.length < SLIP_MIN_LENGTH[kind]) return undefined;
  const at = randomIndex(random, chars.length);
  switch (kind) {
    case "double":
      return [...chars.slice(0, at + 1), ...chars.slice(at)].join("");
    case "undouble": {
      const doubles = chars.flatMap((char, i) =>
        i > 0 && char.toLowerCase() === chars[i - 1].toLowerCase() ? [i] : [],
      );
      if (doubles.length === 0) return undefined;
      const drop = doubles[randomIndex(random, doubles.length)];
      return chars.filter((_, i) => i !== drop).join("");
    }
    case "swap": {
      const swappable = chars.flatMap((char, i) =>
        i > 0 && char.toLowerCase() !== chars[i - 1].toLowerCase() ? [i] : [],
      );
      if (swappable.length === 0) return undefined;
      const i = swappable[randomIndex(random, swappable.length)];
      [chars[i - 1], chars[i]] = [chars[i], chars[i - 1]];
      return chars.join("");
    }
    case "drop":
      return chars.filter((_, i) => i !== at).join("");
    case "extra": {
      const letter = sameCase(LETTERS[randomIndex(random, LETTERS.length)], chars[at]);
      return [...chars.slice(0, at), letter, ...chars.slice(at)].join("");
    }
    case "substitute": {
      const others = LETTERS.replace(chars[at].toLowerCase(), "");
      chars[at] = sameCase(others[randomIndex(random, others.length)], chars[at]);
      return chars.join("");
    }
  }
}

export interface SlippedReply {
  original: string;
  text: string;
  kind: SlipKind;
  word: string;
}

/**
 * Every reply with one slip: for each word of four letters or more and each kind of slip that
 * applies to it, one variant, the slip placed by a generator seeded from (reply, word, kind).
 */
export function singleSlipVariants(text: string): SlippedReply[] {
  const variants: SlippedReply[] = [];
  for (const match of text.matchAll(/\p{L}+/gu)) {
    const word = match[0];
    const start = match.index ?? 0;
    for (const kind of SLIP_KINDS) {
      const slipped = slipWord(word, kind, mulberry32(hashString(`${text}|${start}|${kind}`)));
      if (slipped === undefined || slipped === word) continue;
      variants.push({
        original: text,
        text: text.slice(0, start) + slipped + text.slice(start + word.length),
        kind,
        word,
      });
    }
  }
  return variants;
}
