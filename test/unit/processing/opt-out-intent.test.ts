import { describe, expect, it } from "vitest";
import { classifyOptOutIntent, decide, editDistance } from "../../../core/processing/opt-out-intent";
import { classifyReplyIntent } from "../../../core/processing/reply-intent";
import { type LabelledReply, labelledReplies } from "../../fixtures/replies/labelled";

const replies = labelledReplies();

/** Precision and recall of `predicted` against the labels, over `set`. */
function scoreOf(set: LabelledReply[], predicted: (reply: LabelledReply) => boolean) {
  let truePositives = 0;
  const misses: string[] = [];
  for (const reply of set) {
    const guessed = predicted(reply);
    const actual = reply.label === "opt_out";
    if (guessed && actual) truePositives++;
    else if (guessed) misses.push(`false positive (${reply.language}): ${reply.text}`);
    else if (actual) misses.push(`false negative (${reply.language}): ${reply.text}`);
  }
  const positives = set.filter(predicted).length;
  const actuals = set.filter((reply) => reply.label === "opt_out").length;
  return { precision: truePositives / positives, recall: truePositives / actuals, misses };
}

const LANGUAGES = ["en", "es", "fr", "pt", "de"];
/** The responses consumer's reading of a reply (carrier keyword first, then the intent rules). */
const decisionOf = (reply: LabelledReply) => classifyReplyIntent(reply.text).optOut.decision;
const READINGS = {
  // Review holds the number (no marketing until someone decides): fail-closed, so it counts.
  "opted out or held for review": (reply: LabelledReply) => decisionOf(reply) !== "none",
  "opted out at once": (reply: LabelledReply) => decisionOf(reply) === "opt_out",
};

describe("opt-out intent on the labelled set", () => {
  it("holds at least 300 replies in each of the five languages, with hard negatives in each", () => {
    expect(replies.length).toBeGreaterThanOrEqual(300);
    for (const language of LANGUAGES) {
      const labels = replies.filter((reply) => reply.language === language).map((reply) => reply.label);
      expect(labels.filter((label) => label === "opt_out").length, language).toBeGreaterThanOrEqual(20);
      expect(labels.filter((label) => label === "not").length, language).toBeGreaterThanOrEqual(10);
    }
  });

  it.each(Object.entries(READINGS))(
    "meets the floors as %s: recall >= 0.98, precision >= 0.95",
    (reading, predicted) => {
      const overall = scoreOf(replies, predicted);
      const perLanguage = LANGUAGES.map((language) => {
        const { precision, recall } = scoreOf(
          replies.filter((reply) => reply.language === language),
          predicted,
        );
        return `${language} ${precision.toFixed(3)}/${recall.toFixed(3)}`;
      });
      console.log(
        `opt-out (${reading}): precision ${overall.precision.toFixed(3)} recall ${overall.recall.toFixed(3)} on ${replies.length} replies; precision/recall by language: ${perLanguage.join(", ")}`,
      );
      if (overall.misses.length) console.log(overall.misses.join("\n"));
      expect(overall.recall).toBeGreaterThanOrEqual(0.98);
      expect(overall.precision).toBeGreaterThanOrEqual(0.95);
    },
  );

  it("reads the set the same through the intent engine alone, but for the exact carrier keywords", () => {
    for (const reply of replies) {
      const engine = classifyOptOutIntent(reply.text).decision;
      if (decisionOf(reply) !== engine)
        expect([reply.text, decisionOf(reply)]).toEqual([reply.text, "opt_out"]);
    }
  });
});

describe("opt-out intent rules", () => {
  it.each([
    ["STOP", "opt_out", "keyword.exact"],
    ["stoppp", "opt_out", "keyword.exact"],
    ["unsubscibe", "opt_out", "keyword.exact"],
    ["take me off", "opt_out", "phrase.en.take-me-off"],
    ["déjame en paz", "opt_out", "phrase.es.dejame-en-paz"],
    ["bitte keine SMS mehr", "opt_out", "phrase.de.keine-mehr"],
    ["não quero mais", "opt_out", "phrase.pt.nao-quero"],
    ["don't stop", "none", "neg.en.negated-stop"],
    ["no, I don't want to stop", "none", "neg.en.negated-stop"],
    ["stop by the store", "none", "neg.en.stop-by"],
    ["is the sale over?", "none", "neg.en.is-it-over"],
    ["who is this", "review", "phrase.en.wrong-number"],
    ["what time do you open", "none", "none"],
  ])("%s -> %s by %s", (text, decision, rule) => {
    const intent = classifyOptOutIntent(text);
    expect(intent.decision).toBe(decision);
    expect(intent.rule).toBe(rule);
  });

  it("applies the thresholds it is given", () => {
    expect(decide(0.7, { optOut: 0.9, review: 0.6 })).toBe("review");
    expect(decide(0.7, { optOut: 0.65, review: 0.6 })).toBe("opt_out");
    expect(decide(0.5, { optOut: 0.9, review: 0.6 })).toBe("none");
  });

  it("measures edits and neighbour swaps", () => {
    expect(editDistance("unsubscibe", "unsubscribe", 2)).toBe(1);
    expect(editDistance("sotp", "stop", 2)).toBe(1);
    expect(editDistance("hello", "stop", 1)).toBe(2);
  });
});
