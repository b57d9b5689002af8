/**
 * `npm start -- --chaos <spec>`: the faults a local run injects while the campaign runs.
 * `throttle=0.2` makes a fifth of the calls to Kinesis, DynamoDB and S3 answer as the services
 * do when throttled (ProvisionedThroughputExceededException, 503 SlowDown), and a fifth of the
 * sends answer 429 (throttled), so the SDKs' and the engine's own retries have to carry the run.
 * `kill=dynamodb` SIGKILLs DynamoDB Local halfway through the confirmation and starts it again
 * `down=3` seconds later on its persisted data.
 */
import { z } from "zod";

export const ChaosSchema = z
  .object({
    /** Share of calls (0-1) answered as throttled. */
    throttle: z.number().min(0).max(0.9).default(0),
    /** The emulator to crash (SIGKILL) mid-campaign and restart. */
    kill: z.enum(["dynamodb"]).optional(),
    /** Seconds the killed emulator stays down. */
    down: z.number().min(0).max(120).default(3),
  })
  .strict();

export type Chaos = z.infer<typeof ChaosSchema>;

/** Parses "throttle=0.2[,key=value...]"; throws one line naming the bad part. */
export function parseChaosSpec(spec: string): Chaos {
  const fields: Record<string, number | string> = {};
  for (const part of spec
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, value, extra] = part.split("=");
    const number = Number(value);
    if (
      !key ||
      value === undefined ||
      extra !== undefined ||
      value.trim() === "" ||
      !Number.isFinite(number)
    ) {
      throw new Error(`--chaos: "${part}" is not key=number (for example throttle=0.2)`);
    }
    fields[key] = number;
  }
  const parsed = ChaosSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`--chaos: ${issue?.path.join(".") || "spec"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}
