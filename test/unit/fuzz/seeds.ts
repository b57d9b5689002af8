/**
 * What the fuzz starts from: every documented payload in test/fixtures/native/ (the same samples the
 * decoder tests under test/unit/decoders decode), the records inside each envelope, and canonical
 * events of every kind the consumers branch on. Each seed names the source format it stands for.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { unwrapEnvelope } from "../../../core/events";
import { fixtureJson, fixtureText } from "../decoders/fixtures";

export type Seed = { format: string; json: unknown } | { format: string; form: string };

const FIXTURES = fileURLToPath(new URL("../../fixtures/native/", import.meta.url));

/** Fixture name prefix -> the source format it is a sample of (most specific prefix first). */
const FORMAT_OF_PREFIX: [prefix: string, format: string][] = [
  ["pinpoint-", "pinpoint-v1"],
  ["eum-eventbridge-", "eum-v2-eventbridge"],
  ["eum-text-", "eum-v2"],
  ["two-way-sns-notification", "sns-two-way-in-sns-envelope"],
  ["two-way-", "sns-two-way"],
  ["acs-", "acs-"],
  ["twilio-", "twilio-form"],
  ["canonical-", "canonical"],
  ["envelope-lambda-kinesis", "envelope-lambda-kinesis"],
  ["envelope-lambda-sns", "envelope-lambda-sns"],
  ["envelope-pubsub-push", "envelope-pubsub-push"],
  ["envelope-pubsub-cloudevent", "envelope-pubsub-cloudevent"],
  ["envelope-eventhubs-", "envelope-eventhubs"],
];

function formatOf(file: string): string {
  const match = FORMAT_OF_PREFIX.find(([prefix]) => file.startsWith(prefix));
  if (!match) throw new Error(`fuzz seeds: no source format for fixture ${file}; add its prefix`);
  const [, format] = match;
  if (format !== "acs-") return format;
  return file.includes(".cloudevent.") ? "acs-cloudevent" : "acs-eventgrid";
}

const utf8 = new TextDecoder();

/** The records an envelope carries, as seeds of their own (the text of each record body). */
function recordsOf(format: string, envelope: unknown): Seed[] {
  return (unwrapEnvelope(envelope) ?? []).map((record) => {
    const text = utf8.decode(record.raw);
    try {
      return { format: `${format}/record`, json: JSON.parse(text) };
    } catch {
      return { format: `${format}/record`, form: text };
    }
  });
}

/** Canonical events covering the consumers' branches: replies (STOP, HELP, START, YES), a phoneless opt-out. */
function canonicalSeeds(template: Record<string, unknown>): Seed[] {
  const reply = (body: string, eventId: string) => ({
    ...template,
    eventId,
    kind: "received",
    body,
    campaignId: "cmp-spring-2026",
  });
  const { phoneNumber: _, ...phoneless } = template;
  return [
    reply("STOP", "evt-fuzz-stop"),
    reply("help", "evt-fuzz-help"),
    reply("START", "evt-fuzz-start"),
    reply("Yes please!", "evt-fuzz-yes"),
    { ...template, eventId: "evt-fuzz-queued", kind: "queued" },
    { ...phoneless, eventId: "evt-fuzz-optout", kind: "opted_out", messageId: "msg-fuzz-1" },
    { ...phoneless, eventId: "evt-fuzz-delivered", kind: "delivered", messageId: "msg-fuzz-1" },
  ].flatMap((json) => [
    { format: "canonical", json },
    // As `smsctl replay` publishes it: the archive and analytics skip it, responses processes it.
    { format: "replayed-canonical", json: { replayOf: "archive", event: json } },
  ]);
}

export function loadSeeds(): Seed[] {
  const seeds: Seed[] = [];
  for (const file of readdirSync(FIXTURES).sort()) {
    if (file.endsWith(".txt")) seeds.push({ format: formatOf(file), form: fixtureText(file) });
    if (!file.endsWith(".json")) continue;
    const format = formatOf(file);
    const json = fixtureJson(file);
    seeds.push({ format, json });
    if (format.startsWith("envelope-")) seeds.push(...recordsOf(format, json));
    if (format === "canonical") seeds.push(...canonicalSeeds(json as Record<string, unknown>));
  }
  return seeds;
}
