/**
 * `smsctl decode [FILE|-]`: native payloads or trigger envelopes in, canonical events out, one JSON
 * object per line. A record that does not decode gets one stderr line naming it, and exit status 1.
 */
import { decodeRecord, eventToJson, unwrapEnvelope } from "../../core/events";
import { isoFromText } from "../../core/events/formats/time";
import { fail, readInput, registerCommand } from "../args";

/** One record of the input, with the name stderr uses for it. */
export interface InputRecord {
  label: string;
  raw: Uint8Array | string;
  receivedAt?: string;
}

/**
 * Splits the input into records: a JSON document (an envelope's records, an array's items, or one
 * payload), else JSON Lines or form-encoded bodies, one per line.
 */
export function inputRecords(input: string): InputRecord[] {
  const whole = parseJson(input);
  if (whole.ok) return recordsOf(whole.value, input, "input");
  const lines = input.split(/\r?\n/);
  const records: InputRecord[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const parsed = parseJson(line);
    records.push(...recordsOf(parsed.ok ? parsed.value : undefined, line, `line ${index + 1}`));
  });
  return records.length > 0 ? records : [{ label: "input", raw: input }];
}

function recordsOf(value: unknown, text: string, label: string): InputRecord[] {
  const envelope = unwrapEnvelope(value);
  if (envelope === undefined) return [{ label, raw: text }];
  const prefix = label === "input" ? "" : `${label}, `;
  return envelope.map((record) => ({
    label: `${prefix}record ${record.id}`,
    raw: record.raw,
    ...(record.receivedAt === undefined ? {} : { receivedAt: record.receivedAt }),
  }));
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const first = text.trimStart()[0];
  if (first !== "{" && first !== "[") return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export interface DecodeOutput {
  /** Canonical events as JSON lines. */
  events: string[];
  /** One line per record that did not decode. */
  problems: string[];
  /** Labels of the records dated with the fallback time (they carried none of their own). */
  datedByFallback: string[];
}

/**
 * Decodes every record; `receivedAt` dates the payloads that carry no time (Twilio webhooks, a
 * bare two-way message). An event whose time is exactly `receivedAt` took it from there.
 */
export function decodeInput(input: string, receivedAt: string | undefined): DecodeOutput {
  const output: DecodeOutput = { events: [], problems: [], datedByFallback: [] };
  for (const record of inputRecords(input)) {
    const fallback = record.receivedAt ?? receivedAt;
    const result = decodeRecord(record.raw, { receivedAt: fallback });
    if (!result.ok) {
      output.problems.push(`${record.label}: ${result.error.code}: ${result.error.reason}`);
      continue;
    }
    output.events.push(...result.events.map(eventToJson));
    if (record.receivedAt === undefined && result.events.some((event) => event.occurredAt === fallback))
      output.datedByFallback.push(record.label);
  }
  return output;
}

registerCommand((program) => {
  program
    .command("decode")
    .description(
      "decode native SMS payloads or trigger envelopes into canonical events, one JSON object per line",
    )
    .argument(
      "[file]",
      "payload file (JSON, JSON Lines, or a Twilio form body); - or none reads standard input",
    )
    .option(
      "--received-at <time>",
      "ISO-8601 time for payloads that carry none (Twilio webhooks, a bare two-way SMS message); default: now",
    )
    .addHelpText(
      "after",
      [
        "",
        "Accepts: Pinpoint and End User Messaging events (also via EventBridge), two-way SMS (bare or in SNS),",
        "Azure Communication Services (Event Grid or CloudEvents), Twilio webhooks, canonical events, and the",
        "Lambda Kinesis/SNS, Pub/Sub push/CloudEvent and Event Hubs envelopes that carry them.",
        "Exit status: 0 all records decoded, 1 some did not (one stderr line each), 2 usage error.",
        "",
        "Examples:",
        "  smsctl decode kinesis-event.json",
        "  smsctl decode --received-at 2026-11-24T10:00:00Z - < twilio-body.txt",
      ].join("\n"),
    )
    .action(async (file: string | undefined, options: { receivedAt?: string }) => {
      const receivedAt = options.receivedAt === undefined ? undefined : isoFromText(options.receivedAt);
      if (options.receivedAt !== undefined && receivedAt === undefined) {
        fail(
          `--received-at "${options.receivedAt}" is not an ISO-8601 date-time. Use e.g. 2026-11-24T10:00:00Z`,
        );
      }
      // Without --received-at, payloads that carry no time are dated now, and stderr says so.
      const now = receivedAt ?? new Date().toISOString();
      const { events, problems, datedByFallback } = decodeInput(await readInput(file), now);
      if (events.length > 0) process.stdout.write(`${events.join("\n")}\n`);
      if (receivedAt === undefined && datedByFallback.length > 0) {
        process.stderr.write(
          `smsctl decode: ${datedByFallback.join(", ")} carried no time; dated with the current time ${now} (give --received-at to choose)\n`,
        );
      }
      for (const problem of problems) process.stderr.write(`smsctl decode: ${problem}\n`);
      if (problems.length > 0) process.exitCode = 1;
    });
});
