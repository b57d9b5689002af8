import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll } from "vitest";
import type { TableId } from "../../providers/aws/runtime/tables";
import {
  type EmulatorClients,
  type EmulatorOptions,
  type RunningEmulators,
  startEmulators,
} from "../../providers/local/emulators";
import { ensureTables } from "../../providers/local/emulators/provision";

export interface EmulatorFixture {
  emulators(): RunningEmulators;
  clients(): EmulatorClients;
}

/**
 * Starts the requested emulators once for the calling test file (beforeAll) and stops them by
 * process group afterwards (afterAll). Set EMULATOR_LOG=1 to see their output.
 */
export const useAwsEmulators = (options: Omit<EmulatorOptions, "log">): EmulatorFixture => {
  let running: RunningEmulators | undefined;
  let clients: EmulatorClients | undefined;
  beforeAll(async () => {
    running = await startEmulators({
      ...options,
      ...(process.env["EMULATOR_LOG"] ? { log: (line: string) => console.log(line) } : {}),
    });
    clients = running.clients();
  }, 120_000);
  afterAll(async () => {
    for (const client of Object.values(clients ?? {})) client.destroy();
    await running?.stop();
  });
  return {
    emulators: () => {
      if (!running) throw new Error("emulators are not running (used outside a test?)");
      return running;
    },
    clients: () => {
      if (!clients) throw new Error("emulators are not running (used outside a test?)");
      return clients;
    },
  };
};

/** A resource name unique to this run, valid for tables, buckets, topics, queues and streams. */
export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Resolves `build` once, the first time it is awaited (resources shared by a file's tests). */
export const once = <T>(build: () => Promise<T>): (() => Promise<T>) => {
  let value: Promise<T> | undefined;
  return () => {
    value ??= build();
    return value;
  };
};

/** Fresh names for the eight tables the ticker handler reads and writes. */
export const tickerTableNames = () => ({
  responses: uniqueName("responses"),
  optOuts: uniqueName("opt-outs"),
  ledger: uniqueName("ledger"),
  journeys: uniqueName("journeys"),
  messages: uniqueName("messages"),
  subscribers: uniqueName("subscribers"),
  campaigns: uniqueName("campaigns"),
  optOutReviews: uniqueName("opt-out-reviews"),
});

/** Where a tick's events and dead letters go: a stream and a queue the caller made (or "unused"). */
export interface TickerWiring {
  streamName: string;
  dlqUrl: string;
}

/**
 * Creates fresh tables for the AWS ticker handler on DynamoDB Local (its eight, plus `extraTables`,
 * all in one go) and returns the handler's environment naming them; a tick uses no bucket or topic.
 */
export const tickerEnvOn = async (
  dynamodb: DynamoDBClient,
  wiring: TickerWiring,
  extraTables: Partial<Record<TableId, string>> = {},
) => {
  const tables = tickerTableNames();
  await ensureTables(dynamodb, { ...tables, ...extraTables });
  return {
    STREAM_NAME: wiring.streamName,
    DYNAMODB_TABLE: tables.responses,
    OPT_OUTS_TABLE: tables.optOuts,
    OPT_OUT_REVIEWS_TABLE: tables.optOutReviews,
    SEND_LEDGER_TABLE: tables.ledger,
    JOURNEYS_TABLE: tables.journeys,
    MESSAGE_LOG_TABLE: tables.messages,
    SUBSCRIBERS_TABLE: tables.subscribers,
    CAMPAIGNS_TABLE: tables.campaigns,
    S3_BUCKET: "unused",
    SNS_TOPIC_ARN: "arn:aws:sns:us-east-1:000000000000:unused",
    DLQ_URL: wiring.dlqUrl,
    HELP_TEXT: "help",
    STOP_CONFIRMATION_TEXT: "stopped",
  };
};
