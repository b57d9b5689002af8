import { app, type InvocationContext, type Timer } from "@azure/functions";
import { z } from "zod";
import { FUNCTION_ENV } from "../infra/environment";
import { HANDLER_NAMES, type HandlerName } from "../infra/handlerNames";
import type { EventHubsBatchOutcome } from "./event-hubs-batch";

/** The name of the identity-based connection (app setting `EventHubConnection__fullyQualifiedNamespace`). */
export const EVENT_HUB_CONNECTION = FUNCTION_ENV.eventHubsNamespace.split("__")[0];

/** Host retries of a failed invocation: only when records could not even be dead-lettered. */
export const HOST_RETRY = {
  strategy: "exponentialBackoff",
  maxRetryCount: 5,
  minimumInterval: { seconds: 10 },
  maximumInterval: { minutes: 5 },
} as const;

export type Handler = (messages: unknown[], context: InvocationContext) => Promise<EventHubsBatchOutcome>;

/**
 * Registers one consumer with the Functions host: an Event Hubs trigger, a batch at a time
 * (`cardinality: "many"`), on the consumer group and hub named by app settings. Each consumer is
 * its own function app (own identity, own scale), so SMS_HANDLER picks which one this app runs.
 */
export const registerConsumer = (name: HandlerName, load: () => Promise<Handler>): void => {
  app.eventHub(name, {
    connection: EVENT_HUB_CONNECTION,
    eventHubName: `%${FUNCTION_ENV.eventHubName}%`,
    consumerGroup: `%${FUNCTION_ENV.consumerGroup}%`,
    cardinality: "many",
    retry: HOST_RETRY,
    handler: async (messages, context) => {
      const handler = await load();
      return handler(Array.isArray(messages) ? messages : [messages], context);
    },
  });
};

/** The identity-based Service Bus connection of the enrollment trigger (`ServiceBusConnection__*`). */
export const SERVICE_BUS_CONNECTION = FUNCTION_ENV.serviceBusTriggerNamespace.split("__")[0];

/**
 * The ticker's timer. Timer triggers are singletons: "if a function app scales out to multiple
 * instances, only a single instance of a timer-triggered function is run across all instances"
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#scale-out), held by
 * a blob lease in the host storage (AzureWebJobsStorage). So one tick runs at a time and the MPS
 * holds stack-wide. runOnStartup stays false: a restart or scale-out must not fire an extra tick;
 * useMonitor records schedule occurrences in the host storage, so a missed tick is run once, late.
 */
export const TICKER_TIMER = {
  schedule: `%${FUNCTION_ENV.tickSchedule}%`,
  runOnStartup: false,
  useMonitor: true,
} as const;

export interface CampaignHandlers {
  ticker: (timer: Timer, context: InvocationContext) => Promise<unknown>;
  enrollment: (message: unknown, context: InvocationContext) => Promise<unknown>;
}

/**
 * Registers the campaigns app: the ticker (timer) and enrollment (the queue that carries both the
 * audience container's BlobCreated events and the next-chunk hand-offs). A throw abandons the
 * message, so Service Bus redelivers it up to the queue's max delivery count.
 */
export const registerCampaigns = (load: () => Promise<CampaignHandlers>): void => {
  app.timer("ticker", {
    ...TICKER_TIMER,
    handler: async (timer, context) => {
      await (await load()).ticker(timer, context);
    },
  });
  app.serviceBusQueue("enrollment", {
    connection: SERVICE_BUS_CONNECTION,
    queueName: `%${FUNCTION_ENV.enrollmentQueue}%`,
    handler: async (message, context) => {
      await (await load()).enrollment(message, context);
    },
  });
};

/** The app setting naming the consumer, validated with the setting's name in the message. */
export const handlerNameOf = (env: Record<string, string | undefined>): HandlerName => {
  const result = z.enum(HANDLER_NAMES).safeParse(env[FUNCTION_ENV.handler]);
  if (!result.success) {
    throw new Error(`${FUNCTION_ENV.handler} must be one of ${HANDLER_NAMES.join(", ")}`);
  }
  return result.data;
};
