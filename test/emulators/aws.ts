import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import {
  type EmulatorClients,
  type EmulatorOptions,
  type RunningEmulators,
  startEmulators,
} from "../../providers/local/emulators";

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
