/**
 * A GCP function served locally by the Functions Framework, as Cloud Run serves it: the target is
 * registered under its deployed name (infra/environment.ts FUNCTION_TARGETS) and answered by the
 * framework's own server on 127.0.0.1, so requests go through its body parsing, its Pub/Sub push
 * to CloudEvent conversion and its error handling (a throw answers 500).
 */
import type { AddressInfo } from "node:net";
import * as functions from "@google-cloud/functions-framework";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import { LOOPBACK } from "../emulators/ports";

export interface ServedFunction {
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

export type FunctionRegistration =
  | { kind: "http"; handler: functions.HttpFunction }
  | { kind: "cloudEvent"; handler: functions.CloudEventFunction<unknown> };

export async function serveFunction(
  target: string,
  registration: FunctionRegistration,
): Promise<ServedFunction> {
  if (registration.kind === "http") functions.http(target, registration.handler);
  else functions.cloudEvent(target, registration.handler);
  const server = getTestServer(target);
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  return {
    url: `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** One message as a Pub/Sub push subscription posts it (the wrapped form, with its delivery attempt). */
export interface PushRequestBody {
  message: {
    data: string;
    attributes: Record<string, string>;
    messageId: string;
    publishTime: string;
    orderingKey?: string;
  };
  subscription: string;
  deliveryAttempt?: number;
}

/** Posts a push body to the function at the topic's path (the framework reads the topic from it); the HTTP status. */
export async function pushTo(fn: ServedFunction, topicId: string, body: PushRequestBody): Promise<number> {
  const response = await fetch(`${fn.url}/${topicId}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}
