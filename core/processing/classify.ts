import type { ReplyCategory, Sentiment } from "../ports";

export interface ReplyClassification {
  category: ReplyCategory;
  /** The canonical keyword that matched (upper case, e.g. "STOP", "OPT OUT"); absent for free text. */
  keyword?: string;
  sentiment: Sentiment;
}

/**
 * Reply keywords by category. The STOP family is the US carrier set (CTIA) plus the words AWS End
 * User Messaging also honours (ARRET for French Canada, TD, REMOVE).
 */
export const REPLY_KEYWORDS: Record<Exclude<ReplyCategory, "free_text">, readonly string[]> = {
  stop: [
    "STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "REVOKE",
    "OPTOUT",
    "OPT OUT",
    "ARRET",
    "TD",
    "REMOVE",
  ],
  help: ["HELP", "INFO"],
  start: ["START", "UNSTOP"],
  yes: ["YES", "Y"],
  no: ["NO", "N"],
};

const CATEGORY_BY_KEYWORD = new Map<string, Exclude<ReplyCategory, "free_text">>(
  Object.entries(REPLY_KEYWORDS).flatMap(([category, words]) =>
    words.map((word) => [word, category as Exclude<ReplyCategory, "free_text">] as const),
  ),
);

/**
 * A keyword's mood when the words around it carry none. A bare "STOP" is a command, not a complaint
 * (a negative-sentiment alert should not fire on every opt-out); a bare "YES" is consent.
 */
const KEYWORD_SENTIMENT: Record<ReplyCategory, Sentiment> = {
  stop: "neutral",
  help: "neutral",
  start: "positive",
  yes: "positive",
  no: "neutral",
  free_text: "neutral",
};

/** Upper case, accents removed (ARRÊT = ARRET), punctuation to spaces, whitespace collapsed. */
export function normalizeReply(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * Carriers match a keyword when it is the whole message or its first word ("stop please"), never
 * anywhere in the text ("don't stop" is not an opt-out). Two-word keywords ("OPT OUT") match on
 * the first two words.
 */
function matchKeyword(normalized: string): string | undefined {
  if (CATEGORY_BY_KEYWORD.has(normalized)) return normalized;
  const words = normalized.split(" ");
  const firstTwo = words.slice(0, 2).join(" ");
  if (CATEGORY_BY_KEYWORD.has(firstTwo)) return firstTwo;
  return CATEGORY_BY_KEYWORD.has(words[0]) ? words[0] : undefined;
}

/**
 * Replies repeat ("STOP", "YES", "Y"), and both stream consumers classify each one: each distinct
 * text is classified once (Unicode normalisation and three regexes per reply otherwise). Bounded;
 * when full it starts over. Results are frozen, as every caller shares them.
 */
const CLASSIFIED_LIMIT = 5_000;
const classified = new Map<string, ReplyClassification>();

export function classifyReply(text: string): ReplyClassification {
  const known = classified.get(text);
  if (known !== undefined) return known;
  const classification = Object.freeze(classifyReplyUncached(text));
  if (classified.size >= CLASSIFIED_LIMIT) classified.clear();
  classified.set(text, classification);
  return classification;
}

/** What classifyReply computes for a text it has not seen (the benchmark's baseline: no cache hit). */
export function classifyReplyUncached(text: string): ReplyClassification {
  const normalized = normalizeReply(text);
  const keyword = matchKeyword(normalized);
  const category = keyword ? CATEGORY_BY_KEYWORD.get(keyword)! : "free_text";
  const score = sentimentScore(text);
  const sentiment: Sentiment = score > 0 ? "positive" : score < 0 ? "negative" : KEYWORD_SENTIMENT[category];
  return keyword ? { category, keyword, sentiment } : { category, sentiment };
}

// ---------- sentiment ----------

/**
 * A small lexicon: each word is +1 or -1. Small on purpose, so every verdict can be explained by
 * pointing at the words that produced it.
 */
const POSITIVE = new Set(
  "love loved loving like liked great good awesome excellent amazing perfect nice wonderful fantastic best better happy glad thanks thank thx ty appreciate appreciated cool helpful yay super brilliant pleased excited interested sure definitely ok okay fine".split(
    " ",
  ),
);
const NEGATIVE = new Set(
  "hate hated bad terrible awful horrible worst worse angry annoying annoyed spam scam sucks poor disappointed disappointing unhappy stupid useless rude broken wrong sad upset complaint complain refund ridiculous frustrated frustrating harassment lawsuit sue fraud".split(
    " ",
  ),
);
/** Words that flip the next sentiment word within NEGATION_WINDOW words: "not happy", "never good". */
const NEGATORS = new Set(
  "not no never dont don't doesnt doesn't didnt didn't isnt isn't wasnt wasn't arent aren't cant can't cannot wont won't nothing hardly neither nor".split(
    " ",
  ),
);
const NEGATION_WINDOW = 3;
const POSITIVE_EMOTICONS = /(:\)|:-\)|:D|😀|😊|😍|👍|❤️?|🙏)/gu;
const NEGATIVE_EMOTICONS = /(:\(|:-\(|😡|😠|👎|😞|🤬)/gu;

/**
 * Sum of word scores with negation applied; emoticons count one each. Positive > 0, negative < 0.
 * Negation ends at clause punctuation, so "no problem, great" stays positive.
 */
export function sentimentScore(text: string): number {
  const lower = text.toLowerCase().replace(/[’‘]/g, "'");
  let score = (lower.match(POSITIVE_EMOTICONS)?.length ?? 0) - (lower.match(NEGATIVE_EMOTICONS)?.length ?? 0);
  for (const clause of lower.split(/[.,!?;:]+/)) score += clauseScore(clause);
  return score;
}

function clauseScore(clause: string): number {
  let score = 0;
  let negateFor = 0;
  for (const word of clause.split(/[^\p{L}\p{N}']+/u)) {
    if (!word) continue;
    if (NEGATORS.has(word)) {
      negateFor = NEGATION_WINDOW;
      continue;
    }
    const value = POSITIVE.has(word) ? 1 : NEGATIVE.has(word) ? -1 : 0;
    if (value !== 0) {
      score += negateFor > 0 ? -value : value;
      negateFor = 0;
    } else if (negateFor > 0) {
      negateFor--;
    }
  }
  return score;
}
