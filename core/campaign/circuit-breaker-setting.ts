// zod/mini, like the other function settings: the analytics functions parse it at cold start.
import * as z from "zod/mini";
import type { CircuitBreakerSettings } from "./circuit-breaker";

const percent = z
  .number({ error: "must be a number between 0 and 100" })
  .check(z.gte(0, "must be a number between 0 and 100"), z.lte(100, "must be a number between 0 and 100"));
const positiveInt = z
  .int({ error: "must be a positive integer" })
  .check(z.gte(1, "must be a positive integer"));

const CircuitBreakerSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  windowMinutes: positiveInt,
  minSample: positiveInt,
  thresholds: z.strictObject({
    optOutRatePercent: percent,
    carrierBlockRatePercent: percent,
    failureRatePercent: percent,
    complaintRatePercent: percent,
  }),
});

/**
 * The stack's validated `circuitBreaker` config as JSON, set on every analytics function; absent
 * (an older deployment, a test) means no circuit breaker.
 */
export const circuitBreakerSetting = z.pipe(
  z.pipe(
    z.optional(z.string()),
    z.transform((text, ctx) => {
      if (!text?.trim()) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.issues.push({ code: "custom", message: "must be valid JSON", input: text });
        return z.NEVER;
      }
    }),
  ),
  z.optional(CircuitBreakerSettingsSchema),
);

/** The settings to run with: only when configured and enabled. */
export const activeBreaker = (settings: CircuitBreakerSettings | undefined) =>
  settings?.enabled ? settings : undefined;
