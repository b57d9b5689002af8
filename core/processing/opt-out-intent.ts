import { REPLY_KEYWORDS } from "./classify";
import {
  HARD_NEGATIVES,
  type IntentRule,
  KEYWORD_SPELLINGS,
  OPT_OUT_RULES,
  PROTECTED_WORDS,
  VOCABULARY,
} from "./opt-out-lexicon";
import { REAL_WORDS_NEAR_TARGETS } from "./opt-out-real-words";

import {
  DEFAULT_OPT_OUT_THRESHOLDS,
  decide,
  type OptOutDecision,
  type OptOutThresholds,
} from "./opt-out-thresholds";

export { DEFAULT_OPT_OUT_THRESHOLDS, decide, type OptOutDecision, type OptOutThresholds };

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

/**
 * The words the rules depend on: the lexicon's vocabulary plus every literal word of four letters or
 * more in a rule's pattern, hard negatives included (so "stop smilling" still reads "stop smiling"),
 * with its spelled-out endings: "texts?" gives "texts" and "text", "enviar(?:me)?" "enviarme",
 * "tranquil[oa]" "tranquilo" and "tranquila".
 */
function ruleWords(): string[] {
  const words = new Set<string>(VOCABULARY);
  const add = (word: string) => word.length >= 4 && words.add(word);
  for (const rule of [...OPT_OUT_RULES, ...HARD_NEGATIVES]) {
    const source = rule.pattern.source.replace(/\\[bwsdWSBD]/g, " ");
    for (const [, word, endings, letters, optional] of source.matchAll(
      /([a-z]+)(?:\(\?:([a-z|]+)\)|\[([a-z]+)\])?(\?)?/g,
    )) {
      const alternatives = endings?.split("|") ?? [...(letters ?? "")];
      for (const ending of alternatives) add(word + ending);
      if (alternatives.length === 0 || optional) add(word);
      if (alternatives.length === 0 && optional) add(word.slice(0, -1));
    }
  }
  return [...words];
}

/** Every word the engine corrects towards, exported so the word-list audit can read it. */
export const CORRECTION_TARGETS: readonly string[] = ruleWords();
const TARGET_SET = new Set<string>(CORRECTION_TARGETS);
const squeeze = (word: string) => word.replace(/(\p{L})\1+/gu, "$1");
const BY_SQUEEZED = new Map<string, string>();
for (const word of CORRECTION_TARGETS)
  if (!BY_SQUEEZED.has(squeeze(word))) BY_SQUEEZED.set(squeeze(word), word);
const corrections = new Map<string, string>();

/**
 * A word within one typing slip of a word the rules depend on becomes that word: a letter typed
 * twice or a double typed once ("stopp", "teext", "stopen") always, a swap of neighbours ("sotp",
 * "tsop") from four letters, one letter dropped, added or changed from five ("unsubscibe"), two
 * from ten (a six-letter word may slip on its first letter). Real words a slip would turn into a
 * target are left alone: PROTECTED_WORDS, and REAL_WORDS_NEAR_TARGETS, generated from the five
 * languages' word lists by tools/opt-out-real-words.ts ("tests" stays "tests", "bite" is not
 * "bitte"). Cached: replies repeat.
 */
function correctWord(word: string): string {
  const spelled = KEYWORD_SPELLINGS.get(word);
  if (spelled !== undefined) return spelled;
  if (word.length < 4 || TARGET_SET.has(word) || isRealWord(word)) return word;
  const cached = corrections.get(word);
  if (cached !== undefined) return cached;
  const corrected = correctionOf(word) ?? word;
  if (corrections.size < 10_000) corrections.set(word, corrected);
  return corrected;
}

/** A real word one slip from a target: the lexicon's own list and the five languages' word lists. */
const isRealWord = (word: string) => PROTECTED_WORDS.has(word) || REAL_WORDS_NEAR_TARGETS.has(word);

/** The target `word` is one slip from, protection aside (the word-list audit calls it). */
export function correctionOf(word: string): string | undefined {
  if (word.length < 4 || TARGET_SET.has(word)) return undefined;
  const squeezed = squeeze(word);
  // "sotpp": a slip on top of a doubled letter, as in German STOPP; but "testss" is "tests".
  return (
    BY_SQUEEZED.get(squeezed) ??
    nearestTarget(word) ??
    (squeezed !== word && !isRealWord(squeezed) ? nearestTarget(squeezed) : undefined)
  );
}

function nearestTarget(word: string): string | undefined {
  const reach = word.length >= 10 ? 2 : 1;
  let nearest: string | undefined;
  let nearestDistance = reach + 1;
  for (const candidate of CORRECTION_TARGETS) {
    if (Math.abs(candidate.length - word.length) > reach) continue;
    if (!sameStart(word, candidate)) continue;
    // Under five letters on both sides only a swap of neighbours ("sotp"); a four-letter word still
    // reaches a five-letter target by the letter it dropped ("keie", "bast").
    if (candidate.length < 5 || (word.length < 5 && candidate.length !== word.length + 1)) {
      if (candidate.length === word.length && isOneSwap(word, candidate)) return candidate;
      continue;
    }
    if (candidate.length === word.length && isOneSwap(word, candidate)) return candidate; // "nubmer": number, not nummer
    const distance = editDistance(word, candidate, reach);
    if (distance < nearestDistance) {
      nearest = candidate;
      nearestDistance = distance;
    }
  }
  return nearest;
}

/**
 * Same first letter, or the first two swapped ("tsop"), or a word of six letters or more ("zancel",
 * "ancelar"): people rarely slip on the first letter, and short words have too many neighbours.
 */
const sameStart = (word: string, candidate: string) =>
  word.length >= 6 || word[0] === candidate[0] || (word[0] === candidate[1] && word[1] === candidate[0]);

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

/** The one-word carrier STOP keywords (STOP, CANCEL, QUIT...), lower case. */
const CARRIER_KEYWORD_WORDS = new Set(
  REPLY_KEYWORDS.stop.filter((keyword) => !keyword.includes(" ")).map((keyword) => keyword.toLowerCase()),
);

/** What a clause held for review because a real word in it is one slip from a keyword gets. */
const KEYWORD_SLIP_CONFIDENCE = 0.8;

/**
 * A protected real word one slip from a carrier keyword ("stoop" for STOP) is read as the word it
 * is, so "sitting on the stoop" stays nothing. But when reading it as the keyword makes the clause
 * an explicit revocation ("STOOP", "stoop texting me": a rule of 0.95 or more, so never the
 * first-word or anywhere-in-the-text STOP rules), the reply is far more likely a slip than a porch:
 * it goes to review, fail-closed, rather than being opted out on a guess or ignored.
 */
function keywordSlipVerdict(clause: string): ClauseVerdict | undefined {
  const words = clause.split(" ");
  const asKeywords = words.map((word) => {
    const keyword = isRealWord(word) ? correctionOf(word) : undefined;
    return keyword !== undefined && CARRIER_KEYWORD_WORDS.has(keyword) ? keyword : word;
  });
  if (asKeywords.every((word, i) => word === words[i])) return undefined;
  const verdict = clauseVerdict(asKeywords.join(" "));
  return verdict && verdict.confidence >= 0.95
    ? { confidence: KEYWORD_SLIP_CONFIDENCE, rule: `slip.${verdict.rule}` }
    : undefined;
}

/** A negated verb cancels the phrase it negates ("don't unsubscribe me"), whatever its confidence. */
const negates = (negative: IntentRule, rule: IntentRule) =>
  negative.id.includes("negated") && !rule.id.includes("dont-text") && !rule.id.includes("no-longer");

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
    const verdict = clauseVerdict(clause) ?? keywordSlipVerdict(clause);
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
