import { classifyReply, normalizeReply, REPLY_KEYWORDS, type ReplyClassification } from "./classify";
import {
  classifyOptOutIntent,
  DEFAULT_OPT_OUT_THRESHOLDS,
  type OptOutIntent,
  type OptOutThresholds,
} from "./opt-out-intent";

/** What the responses consumer acts on: the reply's category, corrected by its opt-out intent. */
export interface ReplyIntent {
  classification: ReplyClassification;
  optOut: OptOutIntent;
}

/** The rule id of a reply that is exactly a carrier STOP keyword: carriers opt it out themselves. */
export const CARRIER_KEYWORD_RULE = "keyword.carrier";

const CARRIER_STOP_KEYWORDS = new Set<string>(REPLY_KEYWORDS.stop);

/**
 * Classifies a reply for the responses consumer. A reply that is exactly a carrier STOP keyword
 * ("STOP", "opt-out!") keeps carrier semantics: an opt-out with confidence 1. Anything else is
 * decided by the intent engine, whatever its first word: "stop by the store" is no longer a STOP,
 * "please don't text me" and "no more texts" are. So the stored category "stop" always means the
 * number was opted out, and a first-word STOP the engine doubts becomes free text.
 */
export function classifyReplyIntent(
  text: string,
  thresholds: OptOutThresholds = DEFAULT_OPT_OUT_THRESHOLDS,
): ReplyIntent {
  const classification = classifyReply(text);
  const normalized = normalizeReply(text);
  if (CARRIER_STOP_KEYWORDS.has(normalized)) {
    return {
      classification,
      optOut: { optOutConfidence: 1, decision: "opt_out", rule: CARRIER_KEYWORD_RULE },
    };
  }
  const optOut = classifyOptOutIntent(text, thresholds);
  if (optOut.decision === "opt_out") {
    const keyword = classification.category === "stop" ? classification.keyword : undefined;
    return { classification: withCategory(classification, "stop", keyword), optOut };
  }
  if (classification.category === "stop") {
    return { classification: withCategory(classification, "free_text", undefined), optOut };
  }
  return { classification, optOut };
}

function withCategory(
  classification: ReplyClassification,
  category: ReplyClassification["category"],
  keyword: string | undefined,
): ReplyClassification {
  const { keyword: _dropped, ...rest } = classification;
  return keyword ? { ...rest, category, keyword } : { ...rest, category };
}
