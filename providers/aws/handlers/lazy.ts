import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import { withRedactedErrors } from "../../../core/redact";

export type KinesisHandler = (
  event: KinesisStreamEvent,
  context?: Context,
) => Promise<KinesisStreamBatchResponse>;

/**
 * A handler built on its first invocation (Lambda's cold start), not at import: importing a
 * handler module never throws, and a bad environment fails the invocation with a message that
 * names the variable. A failed build is not cached, so a fixed environment is picked up. An error
 * that escapes is redacted (core/redact.ts) before the runtime logs it.
 */
export const lazyHandler = (build: () => KinesisHandler): KinesisHandler => {
  let built: KinesisHandler | undefined;
  // What escapes goes to Lambda's own error log: redacted first.
  return withRedactedErrors(async (event: KinesisStreamEvent, context?: Context) => {
    built ??= build();
    return built(event, context);
  });
};
