import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runSmsctl, type SmsctlRun } from "../support/smsctl";

const smsctl = runSmsctl;

const lines = (run: SmsctlRun) =>
  run.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));

const dir = mkdtempSync(join(tmpdir(), "smsctl-classify-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("smsctl classify", () => {
  it("prints one JSON line per reply from a file: category, confidence, decision and rule", async () => {
    const file = join(dir, "replies.txt");
    writeFileSync(
      file,
      [
        "STOP",
        "stop by the store later",
        "",
        '{"text":"déjame en paz","language":"es"}',
        "who is this?",
        "Yes please",
      ].join("\n"),
    );
    const run = await smsctl(["classify", file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(lines(run)).toEqual([
      { line: 1, category: "stop", optOutConfidence: 1, decision: "opt_out", rule: "keyword.carrier" },
      { line: 2, category: "free_text", optOutConfidence: 0.03, decision: "none", rule: "neg.en.stop-by" },
      {
        line: 4,
        category: "stop",
        optOutConfidence: 0.95,
        decision: "opt_out",
        rule: "phrase.es.dejame-en-paz",
      },
      {
        line: 5,
        category: "free_text",
        optOutConfidence: 0.7,
        decision: "review",
        rule: "phrase.en.wrong-number",
      },
      { line: 6, category: "yes", optOutConfidence: 0, decision: "none", rule: "none" },
    ]);
  }, 20_000);

  it("reads standard input and applies the thresholds it is given", async () => {
    const run = await smsctl(
      ["classify", "--opt-out-threshold", "0.65", "--review-threshold", "0.5"],
      "who is this?\n",
    );
    expect(run.code).toBe(0);
    expect(lines(run)).toEqual([
      {
        line: 1,
        category: "stop",
        optOutConfidence: 0.7,
        decision: "opt_out",
        rule: "phrase.en.wrong-number",
      },
    ]);
  }, 20_000);

  it("names a JSON line without text on stderr, classifies the rest, and exits 1", async () => {
    const run = await smsctl(["classify", "-"], '{"body":"stop"}\nplease stop texting me\n');
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe("smsctl classify: line 1: needs a string field text");
    expect(lines(run)).toMatchObject([{ line: 2, decision: "opt_out" }]);
  }, 20_000);

  it("refuses thresholds out of order with one line and exit 2", async () => {
    const run = await smsctl(["classify", "--opt-out-threshold", "0.5", "--review-threshold", "0.7"], "hi\n");
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("review must be below optOut");
    expect(run.stdout).toBe("");
  }, 20_000);
});
