import type { Clock, SendRequest, SendResult, SmsSender } from "../ports";

export interface RetryOptions {
  clock: Clock;
  /** Total attempts, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected for tests; defaults to Math.random. */
  random?: () => number;
}

export function isRetryable(result: SendResult): boolean {
  return result.status === "throttled" || (result.status === "failed" && result.retryable);
}

/** Exponential backoff with full jitter, never shorter than the provider's Retry-After. */
export function backoffDelayMs(
  attempt: number,
  options: Required<Omit<RetryOptions, "clock">>,
  retryAfterMs = 0,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.max(retryAfterMs, Math.floor(options.random() * ceiling));
}

/**
 * Wraps a sender so throttling and retryable failures are retried a bounded number of times.
 * The last result is returned as is, so the caller still sees the typed reason.
 */
export function withRetry(sender: SmsSender, options: RetryOptions): SmsSender {
  const settings = {
    maxAttempts: options.maxAttempts ?? 5,
    baseDelayMs: options.baseDelayMs ?? 200,
    maxDelayMs: options.maxDelayMs ?? 10_000,
    random: options.random ?? Math.random,
  };
  return {
    async send(request: SendRequest): Promise<SendResult> {
      let result = await sender.send(request);
      for (let attempt = 1; attempt < settings.maxAttempts && isRetryable(result); attempt++) {
        const retryAfterMs = result.status === "throttled" ? result.retryAfterMs : undefined;
        await options.clock.sleep(backoffDelayMs(attempt - 1, settings, retryAfterMs));
        result = await sender.send(request);
      }
      return result;
    },
  };
}
