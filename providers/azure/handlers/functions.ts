import { app, type InvocationContext } from "@azure/functions";
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

/** The app setting naming the consumer, validated with the setting's name in the message. */
export const handlerNameOf = (env: Record<string, string | undefined>): HandlerName => {
  const result = z.enum(HANDLER_NAMES).safeParse(env[FUNCTION_ENV.handler]);
  if (!result.success) {
    throw new Error(`${FUNCTION_ENV.handler} must be one of ${HANDLER_NAMES.join(", ")}`);
  }
  return result.data;
};
