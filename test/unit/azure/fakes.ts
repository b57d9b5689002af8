/**
 * Fakes of the SDK surfaces the Service Bus and Event Hubs adapters use (no emulator runs without
 * Docker): each records what it was given, so tests read back exactly what reached the "service".
 */
import type { ServiceBusMessage } from "@azure/service-bus";
import type { EventProducer } from "../../../providers/azure/runtime/event-publisher";
import type { IngestionTransport } from "../../../providers/azure/runtime/metrics-sink";
import type { MessageSender } from "../../../providers/azure/runtime/notifier";

export const fakeSender = (options: { failWith?: Error } = {}) => {
  const sent: ServiceBusMessage[] = [];
  const sender: MessageSender = {
    sendMessages: async (messages) => {
      if (options.failWith) throw options.failWith;
      sent.push(...[messages].flat(2).filter((m): m is ServiceBusMessage => "body" in (m as object)));
    },
  };
  return { sender, sent };
};

interface FakeBatch {
  partitionKey?: string;
  events: { body: unknown }[];
  tryAdd(event: { body: unknown }): boolean;
  readonly count: number;
}

/** An Event Hubs producer whose batches hold at most `maxPerBatch` events; `failSends` sends throw. */
export const fakeProducer = (options: { maxPerBatch?: number; failSends?: number } = {}) => {
  const sent: { partitionKey?: string; body: Uint8Array }[] = [];
  let failures = options.failSends ?? 0;
  const producer = {
    createBatch: async (batchOptions?: { partitionKey?: string }) => {
      const batch: FakeBatch = {
        partitionKey: batchOptions?.partitionKey,
        events: [],
        tryAdd(event) {
          if (this.events.length >= (options.maxPerBatch ?? 100)) return false;
          this.events.push(event);
          return true;
        },
        get count() {
          return this.events.length;
        },
      };
      return batch;
    },
    sendBatch: async (batch: FakeBatch) => {
      if (failures > 0) {
        failures--;
        throw new Error("ServiceUnavailable");
      }
      for (const event of batch.events)
        sent.push({ partitionKey: batch.partitionKey, body: event.body as Uint8Array });
    },
  } as unknown as EventProducer;
  return { producer, sent };
};

/** An ingestion endpoint that accepts (or answers `status`) and keeps every posted body. */
export const fakeIngestion = (status = 200) => {
  const posted: { url: string; headers: Record<string, string>; body: string }[] = [];
  const transport: IngestionTransport = async (request) => {
    posted.push(request);
    return {
      status,
      body: status === 200 ? '{"itemsReceived":1,"itemsAccepted":1,"errors":[]}' : "rejected",
    };
  };
  return { transport, posted };
};

export const CONNECTION_STRING =
  "InstrumentationKey=00000000-aaaa-bbbb-cccc-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/";
