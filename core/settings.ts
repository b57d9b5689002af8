/**
 * Function settings read from the environment, the same way on every cloud: validated once at
 * cold start, and a failure names every variable at fault. zod/mini keeps function bundles small.
 */
import * as z from "zod/mini";
import { DEFAULT_OPT_OUT_THRESHOLDS } from "./processing/opt-out-thresholds";

/** A missing or invalid setting; the message names every variable at fault. */
export class SettingsError extends Error {
  override name = "SettingsError";
}

/** A non-empty string, trimmed. */
export const requiredSetting = z
  .string({ error: "is required" })
  .check(z.trim(), z.minLength(1, "must not be empty"));

/** A string that may be absent; empty counts as absent. */
export const optionalSetting = z.pipe(
  z.optional(z.string().check(z.trim())),
  z.transform((value) => (value ? value : undefined)),
);

/** A non-empty string with a default when absent. */
export const settingWithDefault = (fallback: string) =>
  z._default(z.string().check(z.trim(), z.minLength(1)), fallback);

/** JSON text validated by `schema`; absent or blank reads as an empty array. */
export const jsonSetting = <T extends z.ZodMiniType>(schema: T) =>
  z.pipe(
    z.pipe(
      z.optional(z.string()),
      z.transform((text, ctx) => {
        if (!text?.trim()) return [];
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.issues.push({ code: "custom", message: "must be valid JSON", input: text });
          return z.NEVER;
        }
      }),
    ),
    schema,
  );

/** An integer in [min, max], `fallback` when absent. */
export const intSetting = (min: number, max: number, fallback: number) => {
  const message = `must be an integer between ${min} and ${max}`;
  return z.pipe(
    z.pipe(
      z.optional(z.string()),
      z.transform((text) => (text?.trim() ? Number(text) : fallback)),
    ),
    z.int({ error: message }).check(z.gte(min, message), z.lte(max, message)),
  );
};

/** A number in [min, max] (fractions allowed), undefined when absent or blank. */
export const optionalNumberSetting = (min: number, max: number) => {
  const message = `must be a number between ${min} and ${max}`;
  return z.pipe(
    z.pipe(
      z.optional(z.string()),
      z.transform((text) => (text?.trim() ? Number(text) : undefined)),
    ),
    z.optional(z.number({ error: message }).check(z.gte(min, message), z.lte(max, message))),
  );
};

/** A log level, case-insensitive, INFO when absent. */
export const logLevelSetting = <const L extends readonly [string, ...string[]]>(levels: L) =>
  z.pipe(
    z.pipe(
      z.optional(z.string()),
      z.transform((level) => (level ? level.toUpperCase() : "INFO")),
    ),
    z.enum(levels, { error: `must be one of ${levels.join(", ")}` }),
  );

/** Parses settings once; a failure lists each variable at fault, e.g. "DLQ_URL is required". */
export const parseSettings = <T extends z.ZodMiniType>(
  schema: T,
  env: Record<string, string | undefined>,
  what: string,
): z.infer<T> => {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join(".") || "environment"} ${issue.message}`,
  );
  throw new SettingsError(`invalid ${what}: ${problems.join("; ")}`);
};

const unitInterval = z
  .number({ error: "must be a number between 0 and 1" })
  .check(z.gte(0, "must be a number between 0 and 1"), z.lte(1, "must be a number between 0 and 1"));

/**
 * The opt-out thresholds as JSON (`{"optOut":0.9,"review":0.6}`), the stack's validated
 * `optOutThresholds`; DEFAULT_OPT_OUT_THRESHOLDS when absent. review must be below optOut.
 */
export const optOutThresholdsSetting = z.pipe(
  z.pipe(
    z.optional(z.string()),
    z.transform((text, ctx) => {
      if (!text?.trim()) return DEFAULT_OPT_OUT_THRESHOLDS;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.issues.push({ code: "custom", message: "must be valid JSON", input: text });
        return z.NEVER;
      }
    }),
  ),
  z
    .object({ optOut: unitInterval, review: unitInterval })
    .check(z.refine((thresholds) => thresholds.review < thresholds.optOut, "review must be below optOut")),
);
