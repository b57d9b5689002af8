/**
 * `smsctl classify [FILE|-]`: how the responses consumer reads each reply, to check one by hand or
 * explain a decision. Input: one reply per line, plain text or a JSON object with `text` (and an
 * optional `language`, accepted for the record: the rules of every language apply to every reply).
 * Output: one JSON line per reply with its category, opt-out confidence, decision and rule.
 */
import { z } from "zod";
import { OptOutThresholdsSchema, parseConfigWith } from "../../core/config";
import { DEFAULT_OPT_OUT_THRESHOLDS, type OptOutThresholds } from "../../core/processing/opt-out-intent";
import { classifyReplyIntent } from "../../core/processing/reply-intent";
import { fail, readInput, registerCommand } from "../args";

const JsonReplySchema = z.object({
  text: z.string({ error: "needs a string field text" }),
  language: z.string({ error: "language must be a string like es" }).optional(),
});

export interface ClassifiedReply {
  /** The input line (1-based), so output lines match input lines even when one is skipped. */
  line: number;
  category: string;
  optOutConfidence: number;
  decision: string;
  rule: string;
}

export interface ClassifyOutput {
  replies: ClassifiedReply[];
  /** One line per input line that is neither plain text nor a reply object. */
  problems: string[];
}

/** The reply text of one input line: plain text, or a JSON object's `text`. */
function replyTextOf(line: string): { text: string } | { problem: string } {
  if (!line.trimStart().startsWith("{")) return { text: line };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    // Not JSON after all: a reply that happens to start with a brace.
    return { text: line };
  }
  const reply = JsonReplySchema.safeParse(parsed);
  return reply.success ? { text: reply.data.text } : { problem: reply.error.issues[0].message };
}

export function classifyLines(input: string, thresholds?: OptOutThresholds): ClassifyOutput {
  const output: ClassifyOutput = { replies: [], problems: [] };
  input.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    const reply = replyTextOf(line);
    if ("problem" in reply) {
      output.problems.push(`line ${index + 1}: ${reply.problem}`);
      return;
    }
    const { classification, optOut } = classifyReplyIntent(reply.text, thresholds);
    output.replies.push({
      line: index + 1,
      category: classification.category,
      optOutConfidence: optOut.optOutConfidence,
      decision: optOut.decision,
      rule: optOut.rule,
    });
  });
  return output;
}

interface ClassifyOptions {
  optOutThreshold?: string;
  reviewThreshold?: string;
}

function thresholdsOf(options: ClassifyOptions): OptOutThresholds {
  const raw = {
    optOutThresholds: {
      ...(options.optOutThreshold === undefined ? {} : { optOut: options.optOutThreshold }),
      ...(options.reviewThreshold === undefined ? {} : { review: options.reviewThreshold }),
    },
  };
  try {
    return parseConfigWith(z.object({ optOutThresholds: OptOutThresholdsSchema }).strict(), raw)
      .optOutThresholds;
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0].replace(/^config key "[^"]*": /, "");
    fail(
      `--opt-out-threshold ${options.optOutThreshold ?? "(default)"} and --review-threshold ${options.reviewThreshold ?? "(default)"}: ${reason}`,
    );
  }
}

async function classify(file: string | undefined, options: ClassifyOptions): Promise<void> {
  const thresholds = thresholdsOf(options);
  const { replies, problems } = classifyLines(await readInput(file), thresholds);
  for (const reply of replies) process.stdout.write(`${JSON.stringify(reply)}\n`);
  for (const problem of problems) process.stderr.write(`smsctl classify: ${problem}\n`);
  if (problems.length > 0) process.exitCode = 1;
}

registerCommand((program) => {
  program
    .command("classify")
    .description(
      "classify replies as the responses consumer does: category, opt-out confidence, decision, rule",
    )
    .argument(
      "[file]",
      "replies, one per line: plain text or JSON with text (and language); - or none for stdin",
    )
    .option(
      "--opt-out-threshold <0-1>",
      `confidence at which a reply opts out (default ${DEFAULT_OPT_OUT_THRESHOLDS.optOut})`,
    )
    .option(
      "--review-threshold <0-1>",
      `confidence at which a reply goes to review (default ${DEFAULT_OPT_OUT_THRESHOLDS.review})`,
    )
    .action((file: string | undefined, options: ClassifyOptions) => classify(file, options));
});
