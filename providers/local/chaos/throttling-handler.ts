/**
 * An SDK request handler that answers a share of the calls exactly as a throttled AWS service
 * does, before they reach the emulator: Kinesis and DynamoDB with a 400
 * ProvisionedThroughputExceededException (JSON protocol), S3 with a 503 SlowDown (XML). The SDK's
 * own retry strategy sees a real throttling error, backs off and retries; what it gives up on
 * reaches our code as the service's exception.
 */
import { Readable } from "node:stream";
import type { HttpHandlerOptions } from "@smithy/types";
import type { FaultedService, FaultInjector } from "./fault-injector";

type AwsService = Exclude<FaultedService, "sender">;

interface ThrottledAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_THROTTLE = (type: string, message: string): ThrottledAnswer => ({
  statusCode: 400,
  headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-errortype": type },
  body: JSON.stringify({ __type: type, message }),
});

export const THROTTLED_ANSWERS: Record<AwsService, ThrottledAnswer> = {
  kinesis: JSON_THROTTLE("ProvisionedThroughputExceededException", "Rate exceeded for shard (chaos)"),
  dynamodb: JSON_THROTTLE(
    "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
    "The level of configured provisioned throughput for the table was exceeded (chaos)",
  ),
  s3: {
    statusCode: 503,
    headers: { "content-type": "application/xml" },
    body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate. (chaos)</Message></Error>',
  },
};

/** The slice of the SDK's HttpHandler this wrapper needs (NodeHttpHandler has it). */
export interface RequestHandlerLike {
  handle(request: never, options?: HttpHandlerOptions): Promise<{ response: unknown }>;
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): object;
  destroy?(): void;
}

export function throttlingHandler<H extends RequestHandlerLike>(
  inner: H,
  service: AwsService,
  faults: FaultInjector,
): H {
  const answer = THROTTLED_ANSWERS[service];
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property !== "handle") return Reflect.get(target, property, receiver);
      return async (request: never, options?: HttpHandlerOptions) => {
        if (!faults.strikes(service)) return target.handle(request, options);
        return {
          response: {
            statusCode: answer.statusCode,
            reason: "chaos",
            headers: { ...answer.headers },
            body: Readable.from([Buffer.from(answer.body)]),
          },
        };
      };
    },
  });
}
