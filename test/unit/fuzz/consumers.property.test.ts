/**
 * The fuzz of issue 10: FUZZ_RUNS payloads (100 000 by default), drawn from every native format and
 * envelope and mutated (see payloads.ts), go through the decoders and through the three consumer
 * handlers on the in-memory ports, in batches of BATCH_SIZE. Nothing may throw out of them, and
 * every record is either processed or dead-lettered, exactly once, per consumer; every dead letter
 * keeps the record's bytes exactly and says why. FUZZ_SEED reproduces a run (it is printed on failure).
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  type DecodeResult,
  decodeRecord,
  decodeText,
  SmsEventSchema,
  unwrapEnvelope,
} from "../../../core/events";
import { CONSUMERS, type ConsumerBatch, type ConsumerName, runConsumers } from "./consumers";
import { describePayload, type Payload, payloadArbitrary } from "./payloads";
import { loadSeeds } from "./seeds";

const BATCH_SIZE = 100;
const DEFAULT_RUNS = 100_000;
const DEFAULT_SEED = 20_261_124;

function positiveIntegerFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got "${text}"`);
  return value;
}

const RUNS = positiveIntegerFromEnv("FUZZ_RUNS", DEFAULT_RUNS);
const SEED = positiveIntegerFromEnv("FUZZ_SEED", DEFAULT_SEED);
const RECEIVED_AT = "2026-11-24T10:00:31.000Z";
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** In / processed / dead-lettered, per consumer and per source format. */
class Tally {
  readonly byFormat = new Map<
    string,
    { in: number } & Record<ConsumerName, { processed: number; dead: number }>
  >();
  total = 0;

  count(payloads: Payload[], batches: ConsumerBatch[]): void {
    this.total += payloads.length;
    payloads.forEach((payload, index) => {
      const row = this.rowOf(payload.format);
      row.in++;
      for (const { consumer, fates } of batches) {
        if (fates[index].fate === "processed") row[consumer].processed++;
        if (fates[index].fate === "dead-lettered") row[consumer].dead++;
      }
    });
  }

  private rowOf(format: string) {
    let row = this.byFormat.get(format);
    if (!row) {
      row = {
        in: 0,
        analytics: { processed: 0, dead: 0 },
        responses: { processed: 0, dead: 0 },
        archive: { processed: 0, dead: 0 },
      };
      this.byFormat.set(format, row);
    }
    return row;
  }

  report(elapsedMs: number): string {
    const rows = [...this.byFormat.entries()].sort(([a], [b]) => a.localeCompare(b));
    const cell = (c: { processed: number; dead: number }) => `${c.processed}/${c.dead}`.padStart(13);
    const sum = (consumer: ConsumerName, key: "processed" | "dead") =>
      rows.reduce((total, [, row]) => total + row[consumer][key], 0);
    const lines = [
      `fuzz: ${this.total} inputs (seed ${SEED}, ${BATCH_SIZE} per batch) in ${(elapsedMs / 1000).toFixed(1)} s`,
      ...CONSUMERS.map(
        (c) =>
          `  ${c.padEnd(10)} in ${this.total} = processed ${sum(c, "processed")} + dead-lettered ${sum(c, "dead")}`,
      ),
      `  ${"source format".padEnd(36)}${"in".padStart(8)}${CONSUMERS.map((c) => c.padStart(13)).join("")}   (processed/dead-lettered)`,
      ...rows.map(
        ([format, row]) =>
          `  ${format.padEnd(36)}${String(row.in).padStart(8)}${CONSUMERS.map((c) => cell(row[c])).join("")}`,
      ),
    ];
    return lines.join("\n");
  }
}

/** A decode result is either schema-valid events or a typed error with a reason. */
function checkResult(result: DecodeResult, payload: Payload, where: string): void {
  if (result.ok) {
    for (const event of result.events) {
      if (!SmsEventSchema.safeParse(event).success)
        throw new Error(`${where}: decoded an event the schema rejects from ${describePayload(payload)}`);
    }
  } else if (result.error.reason.length === 0) {
    throw new Error(`${where}: an error without a reason for ${describePayload(payload)}`);
  }
}

/**
 * The decoders on their own (the handlers call decodeRecord): the text decoder without
 * decodeRecord's safety net (a throw there is a bug the net would hide), and every record of a
 * payload that parses as a trigger envelope.
 */
function checkDecoders(payload: Payload): void {
  let text: string;
  try {
    text = strictUtf8.decode(payload.bytes);
  } catch {
    return;
  }
  try {
    checkResult(decodeText(text, { receivedAt: RECEIVED_AT }), payload, "decodeText");
  } catch (error) {
    throw new Error(`decodeText threw ${String(error)} on ${describePayload(payload)}`);
  }
  if (!isEnvelope(payload.format)) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return;
  }
  try {
    for (const record of unwrapEnvelope(parsed) ?? [])
      checkResult(decodeRecord(record.raw, { receivedAt: record.receivedAt }), payload, "envelope record");
  } catch (error) {
    throw new Error(`unwrapEnvelope threw ${String(error)} on ${describePayload(payload)}`);
  }
}

/** A trigger envelope's format (not one of the records inside it). */
const isEnvelope = (format: string) => format.startsWith("envelope-") && !format.endsWith("/record");

/** Every record processed or dead-lettered once, dead letters byte-equal and worded. */
function checkConsumers(payloads: Payload[], batches: ConsumerBatch[]): void {
  for (const { consumer, fates, escaped } of batches) {
    if (escaped !== undefined)
      throw new Error(`${consumer}: a throw escaped the handler: ${String(escaped)}`);
    fates.forEach((fate, index) => {
      const payload = payloads[index];
      if (fate.fate === "broken")
        throw new Error(
          `${consumer}: record ${fate.why}, neither processed nor dead-lettered: ${describePayload(payload)}`,
        );
      if (fate.fate !== "dead-lettered") return;
      if (!Buffer.from(fate.entry.raw).equals(Buffer.from(payload.bytes)))
        throw new Error(
          `${consumer}: dead letter's raw bytes differ from the input: ${describePayload(payload)}`,
        );
      if (fate.entry.reason.trim().length === 0)
        throw new Error(`${consumer}: dead letter without a reason: ${describePayload(payload)}`);
    });
  }
}

describe(`fuzz: ${RUNS} payloads through the decoders and the three consumers`, () => {
  const tally = new Tally();
  const started = Date.now();
  afterAll(() => {
    console.log(tally.report(Date.now() - started));
  });

  it("lets no throw escape and processes or dead-letters every record exactly once, with its bytes and a reason", async () => {
    // Printed as one line on failure: the error names the failing record, the seed and path replay it.
    const batch = fc
      .array(payloadArbitrary(loadSeeds()), { minLength: BATCH_SIZE, maxLength: BATCH_SIZE })
      .map((payloads) =>
        Object.assign(payloads, { [fc.toStringMethod]: () => `a batch of ${payloads.length}` }),
      );
    const runs = Math.ceil(RUNS / BATCH_SIZE);
    let remaining = RUNS;
    await fc.assert(
      fc.asyncProperty(batch, async (generated) => {
        const payloads = generated.slice(0, Math.max(1, Math.min(BATCH_SIZE, remaining)));
        for (const payload of payloads) checkDecoders(payload);
        const batches = await runConsumers(payloads.map((p) => p.bytes));
        checkConsumers(payloads, batches);
        tally.count(payloads, batches);
        remaining -= payloads.length;
      }),
      // No shrinking: the failure message names the record, and the seed and path replay the batch.
      { numRuns: runs, seed: SEED, endOnFailure: true },
    );
    expect(tally.total).toBe(RUNS);
  }, 300_000);
});
