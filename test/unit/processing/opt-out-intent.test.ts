import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyOptOutIntent, decide, editDistance } from "../../../core/processing/opt-out-intent";

interface LabelledReply {
  text: string;
  language: string;
  label: "opt_out" | "not";
}

const replies: LabelledReply[] = readFileSync(join(__dirname, "../../fixtures/replies/replies.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line));

describe("opt-out intent on the labelled set", () => {
  it("meets the floors: recall >= 0.98, precision >= 0.95", () => {
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    const misses: string[] = [];
    for (const reply of replies) {
      const predicted = classifyOptOutIntent(reply.text).decision !== "none";
      const actual = reply.label === "opt_out";
      if (predicted && actual) truePositives++;
      else if (predicted) {
        falsePositives++;
        misses.push(`false positive: ${reply.text}`);
      } else if (actual) {
        falseNegatives++;
        misses.push(`false negative: ${reply.text}`);
      }
    }
    const precision = truePositives / (truePositives + falsePositives);
    const recall = truePositives / (truePositives + falseNegatives);
    console.log(
      `opt-out precision ${precision.toFixed(3)} recall ${recall.toFixed(3)} on ${replies.length} replies`,
    );
    if (misses.length) console.log(misses.join("\n"));
    expect(replies.length).toBeGreaterThanOrEqual(300);
    expect(recall).toBeGreaterThanOrEqual(0.98);
    expect(precision).toBeGreaterThanOrEqual(0.95);
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
