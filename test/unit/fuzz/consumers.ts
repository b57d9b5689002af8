/**
 * The three AWS consumer handlers (the reference cloud's Lambda entry points: Kinesis batch ->
 * core's runBatch -> Powertools' partial-batch report) built on the in-memory ports, and what one
 * batch did to each record: processed, dead-lettered, or neither (failed, so retried or lost).
 */
import { JourneyCatalog } from "../../../core/campaign/journey-catalog";
import type { DeadLetterEntry } from "../../../core/ports";
import { journeyDefinitions } from "../../../journeys";
import { createAnalyticsHandler } from "../../../providers/aws/handlers/analytics";
import { createArchiveHandler } from "../../../providers/aws/handlers/archive";
import type { KinesisHandler } from "../../../providers/aws/handlers/lazy";
import { createResponsesHandler } from "../../../providers/aws/handlers/responses";
import { quietObservability } from "../../../providers/local/clouds/aws-consumers";
import { createMemoryPorts, MemoryPendingReceiptStore } from "../../../providers/local/runtime/memory";
import { kinesisEvent, kinesisRecord, sequenceOf } from "../aws/kinesis-events";

export const CONSUMERS = ["analytics", "responses", "archive"] as const;
export type ConsumerName = (typeof CONSUMERS)[number];

/** What happened to one record in one consumer. */
export type RecordFate =
  | { fate: "processed" }
  | { fate: "dead-lettered"; entry: DeadLetterEntry }
  /** Reported as failed (the stream would retry it), or dead-lettered more than once, or both. */
  | { fate: "broken"; why: string };

export interface ConsumerBatch {
  consumer: ConsumerName;
  fates: RecordFate[];
  /** A throw that left the handler (other than Powertools' deliberate whole-batch failure). */
  escaped?: unknown;
}

const RESPONSES_SETTINGS = {
  helpText: "Acme: reply STOP to opt out.",
  stopConfirmationText: "You are unsubscribed.",
  patterns: [
    { name: "interested", type: "keyword" as const, keyword: "YES" },
    { name: "price", type: "regex" as const, pattern: "pric(e|ing)", flags: "i" },
    { name: "unhappy", type: "sentiment" as const, sentiment: "negative" as const },
  ],
};

/**
 * The handlers are built once (Powertools' logger and metrics cost milliseconds to build); the
 * memory ports behind them are replaced per batch, so memory stays flat over 100 000 records.
 */
function buildHandlers() {
  let ports = createMemoryPorts({ now: "2026-11-24T10:00:00.000Z" });
  let pendingReceipts = new MemoryPendingReceiptStore();
  // The handler skeleton copies deadLetter and clock once: one dead letter, emptied per consumer.
  const deadLetter = ports.deadLetter;
  const clock = ports.clock;
  const current = {
    deadLetter,
    clock,
    get metrics() {
      return ports.metrics;
    },
    get messages() {
      return ports.messages;
    },
    get archive() {
      return ports.archive;
    },
    get responses() {
      return ports.responses;
    },
    get optOuts() {
      return ports.optOuts;
    },
    get notifier() {
      return ports.notifier;
    },
    get sender() {
      return ports.sender;
    },
    get pendingReceipts() {
      return pendingReceipts;
    },
    get journeyRouting() {
      return {
        journeys: ports.journeys,
        subscribers: ports.subscribers,
        definitions: new JourneyCatalog(journeyDefinitions, ports.campaigns),
        campaigns: ports.campaigns,
      };
    },
  };
  const handlers: Record<ConsumerName, KinesisHandler> = {
    analytics: createAnalyticsHandler({
      ports: current,
      observability: quietObservability("fuzz-analytics"),
    }),
    responses: createResponsesHandler({
      ports: current,
      settings: RESPONSES_SETTINGS,
      observability: quietObservability("fuzz-responses"),
    }),
    archive: createArchiveHandler({
      ports: current,
      observability: quietObservability("fuzz-archive"),
    }),
  };
  const reset = () => {
    ports = { ...createMemoryPorts({ now: "2026-11-24T10:00:00.000Z" }), deadLetter, clock };
    pendingReceipts = new MemoryPendingReceiptStore();
  };
  return { handlers, deadLetter, reset };
}

let built: ReturnType<typeof buildHandlers> | undefined;

/** Runs one batch of record bodies through each consumer handler and says what became of each record. */
export async function runConsumers(bodies: Uint8Array[]): Promise<ConsumerBatch[]> {
  built ??= buildHandlers();
  const { handlers, deadLetter, reset } = built;
  reset();
  const batches: ConsumerBatch[] = [];
  for (const consumer of CONSUMERS) {
    const records = bodies.map((body) => kinesisRecord(body));
    const ids = records.map(sequenceOf);
    deadLetter.entries.length = 0;
    let failed = new Set<string>();
    let escaped: unknown;
    try {
      const response = await handlers[consumer](kinesisEvent(records));
      failed = new Set(response.batchItemFailures.map((failure) => String(failure.itemIdentifier)));
    } catch (error) {
      // Powertools throws this on purpose when every record failed, so Lambda retries the batch.
      if (!(error instanceof Error && error.name === "FullBatchFailureError")) escaped = error;
      failed = new Set(ids);
    }
    const letters = lettersById(deadLetter.entries);
    batches.push({
      consumer,
      fates: ids.map((id) => fateOf(failed.has(id), letters.get(id) ?? [])),
      escaped,
    });
  }
  return batches;
}

/** Dead-letter entries by record id (the entry's source ends with "/<record id>"). */
function lettersById(entries: DeadLetterEntry[]): Map<string, DeadLetterEntry[]> {
  const byId = new Map<string, DeadLetterEntry[]>();
  for (const entry of entries) {
    const id = entry.source.slice(entry.source.lastIndexOf("/") + 1);
    byId.set(id, [...(byId.get(id) ?? []), entry]);
  }
  return byId;
}

function fateOf(failed: boolean, letters: DeadLetterEntry[]): RecordFate {
  if (failed)
    return { fate: "broken", why: `reported failed${letters.length > 0 ? " and dead-lettered" : ""}` };
  if (letters.length > 1) return { fate: "broken", why: `dead-lettered ${letters.length} times` };
  if (letters.length === 1) return { fate: "dead-lettered", entry: letters[0] };
  return { fate: "processed" };
}
