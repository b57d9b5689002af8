import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";

export type KinesisHandler = (
  event: KinesisStreamEvent,
  context?: Context,
) => Promise<KinesisStreamBatchResponse>;

/**
 * A handler built on its first invocation (Lambda's cold start), not at import: importing a
 * handler module never throws, and a bad environment fails the invocation with a message that
 * names the variable. A failed build is not cached, so a fixed environment is picked up.
 */
export const lazyHandler = (build: () => KinesisHandler): KinesisHandler => {
  let built: KinesisHandler | undefined;
  return async (event, context) => {
    built ??= build();
    return built(event, context);
  };
};
