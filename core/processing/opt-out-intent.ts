import {
  HARD_NEGATIVES,
  type IntentRule,
  OPT_OUT_RULES,
  PROTECTED_WORDS,
  VOCABULARY,
} from "./opt-out-lexicon";

export type OptOutDecision = "opt_out" | "review" | "none";

export interface OptOutThresholds {
  /** At or above: the reply is an opt-out, handled exactly as STOP. */
  optOut: number;
  /** At or above (and below optOut): held for a person to review; no marketing until then. */
  review: number;
}

export const DEFAULT_OPT_OUT_THRESHOLDS: OptOutThresholds = { optOut: 0.9, review: 0.6 };

export interface OptOutIntent {
  optOutConfidence: number;
  decision: OptOutDecision;
  /** The rule that decided ("phrase.es.no-mas", "neg.en.stop-by"), or "none" when nothing matched. */
  rule: string;
}

/** The confidence of a reply no rule matched. */
const NO_MATCH = 0;

/**
 * Lower case, accents and emoji gone, "n't" kept as "nt" (so "don't" = "dont"), every other
 * apostrophe a space (French "m'envoyer" = "m envoyer"), letters repeated three times or more
 * squeezed to one ("stoppp" = "stop"). Returns the clauses: negation and hard negatives never
 * reach across a full stop or a comma ("No, I don't want to stop" is two clauses).
 */
export function normalizeClauses(text: string): string[] {
  const plain = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[’‘`´]/g, "'")
    .replace(/n't\b/g, "nt")
    .replace(/(\p{L})\1{2,}/gu, "$1");
  return plain
    .split(/[.,;!?¡¿:\n()]+/u)
    .map((clause) => clause.replace(/[^\p{L}\p{N}]+/gu, " ").trim())
    .filter((clause) => clause.length > 0)
    .map((clause) => clause.split(" ").map(correctWord).join(" "));
}

const VOCABULARY_SET = new Set<string>(VOCABULARY);
const squeeze = (word: string) => word.replace(/(\p{L})\1+/gu, "$1");
const BY_SQUEEZED = new Map<string, string>(VOCABULARY.map((word) => [squeeze(word), word]));
const corrections = new Map<string, string>();

/**
 * A word within reach of a vocabulary word becomes that word: doubled letters ("stopp",
 * "unsubscribbe") always, one edit for words of five letters or more ("unsubscibe"), two for ten
 * or more, and only a swap of neighbours for shorter ones ("sotp"). Cached: replies repeat.
 */
function correctWord(word: string): string {
  if (word.length < 4 || VOCABULARY_SET.has(word) || PROTECTED_WORDS.has(word)) return word;
  const cached = corrections.get(word);
  if (cached !== undefined) return cached;
  const corrected = BY_SQUEEZED.get(squeeze(word)) ?? nearestVocabularyWord(word) ?? word;
  if (corrections.size < 10_000) corrections.set(word, corrected);
  return corrected;
}

function nearestVocabularyWord(word: string): string | undefined {
  const reach = word.length >= 10 ? 2 : word.length >= 5 ? 1 : 0;
  for (const candidate of VOCABULARY) {
    if (Math.abs(candidate.length - word.length) > Math.max(reach, 0)) continue;
    if (candidate[0] !== word[0]) continue; // people rarely misspell the first letter
    if (reach === 0) {
      if (candidate.length === word.length && isOneSwap(word, candidate)) return candidate;
    } else if (candidate.length >= 5 && editDistance(word, candidate, reach) <= reach) {
      return candidate;
    }
  }
  return undefined;
}

function isOneSwap(a: string, b: string): boolean {
  const diff = [...a].flatMap((char, i) => (char === b[i] ? [] : [i]));
  return (
    diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]]
  );
}

/** Optimal-string-alignment distance (edits plus neighbour swaps), giving up above `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, before[j - 2] + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length];
}

interface ClauseVerdict {
  confidence: number;
  rule: string;
}

const firstMatch = (rules: readonly IntentRule[], clause: string) =>
  rules.find((rule) => rule.pattern.test(clause));

/**
 * A clause's verdict: a hard negative ("stop by", "don't stop") decides it outright; otherwise the
 * most confident opt-out rule that matches.
 */
function clauseVerdict(clause: string): ClauseVerdict | undefined {
  const negative = firstMatch(HARD_NEGATIVES, clause);
  let best: IntentRule | undefined;
  for (const rule of OPT_OUT_RULES) {
    if (rule.pattern.test(clause) && (!best || rule.confidence > best.confidence)) best = rule;
  }
  // An explicit revocation in the same clause outweighs an ordinary verb: "stop by and unsubscribe me".
  if (
    negative &&
    !(best && best.confidence >= 0.96 && best.id !== "keyword.lead" && !negates(negative, best))
  ) {
    return { confidence: negative.confidence, rule: negative.id };
  }
  return best ? { confidence: best.confidence, rule: best.id } : undefined;
}

/** A negated verb cancels the phrase it negates ("don't unsubscribe me"), whatever its confidence. */
const negates = (negative: IntentRule, rule: IntentRule) =>
  negative.id.includes("negated") && !rule.id.includes("dont-text") && !rule.id.includes("no-longer");

export function decide(confidence: number, thresholds: OptOutThresholds): OptOutDecision {
  if (confidence >= thresholds.optOut) return "opt_out";
  return confidence >= thresholds.review ? "review" : "none";
}

/**
 * How sure we are that a free-text reply revokes consent, and what to do about it. The reply's most
 * opt-out clause decides ("Love you guys, but stop texting me"); a clause a hard negative matched
 * counts only for itself. Pure, no I/O: the same text always gets the same answer and rule.
 */
export function classifyOptOutIntent(
  text: string,
  thresholds: OptOutThresholds = DEFAULT_OPT_OUT_THRESHOLDS,
): OptOutIntent {
  let best: ClauseVerdict | undefined;
  let explained: ClauseVerdict | undefined;
  for (const clause of normalizeClauses(text)) {
    const verdict = clauseVerdict(clause);
    if (!verdict) continue;
    explained ??= verdict;
    if (!best || verdict.confidence > best.confidence) best = verdict;
  }
  const winner = best ?? explained;
  const confidence = winner?.confidence ?? NO_MATCH;
  return {
    optOutConfidence: confidence,
    decision: decide(confidence, thresholds),
    rule: winner?.rule ?? "none",
  };
}
