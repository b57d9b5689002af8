/**
 * A retry strategy for the store clients of the stream functions that rides out a short outage of
 * the store. The SDK's standard strategy stops retrying once its token bucket is spent (a refused
 * connection costs ten tokens), so a few seconds of outage turn every call into a failure at the
 * first attempt; the batches then fail whole, exhaust the event source mapping's retries within
 * a second and are discarded. This one backs off exponentially with full jitter, up to
 * `maxAttempts`, for connection errors, throttling and server errors; a client error (a failed
 * condition, a validation error) is never retried.
 */
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from "@smithy/types";

export interface OutageRetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random?: () => number;
}

interface OutageToken extends RetryToken {
  readonly count: number;
  readonly delay: number;
}

const tokenOf = (count: number, delay: number): OutageToken => ({
  count,
  delay,
  getRetryCount: () => count,
  getRetryDelay: () => delay,
});

export function outageRetryStrategy(options: OutageRetryOptions): RetryStrategyV2 {
  const random = options.random ?? Math.random;
  return {
    acquireInitialRetryToken: async () => tokenOf(0, 0),
    refreshRetryTokenForRetry: async (token: RetryToken, info: RetryErrorInfo) => {
      const count = token.getRetryCount() + 1;
      if (info.errorType === "CLIENT_ERROR" || count >= options.maxAttempts) {
        throw info.error ?? new Error(`no retry left (${info.errorType})`);
      }
      const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (count - 1));
      return tokenOf(count, Math.floor(random() * ceiling));
    },
    recordSuccess: () => {},
  };
}
