/**
 * `npm start -- --chaos <spec>`: the faults a local run injects while the campaign runs.
 * `throttle=0.2` makes a fifth of the calls to Kinesis, DynamoDB and S3 answer as the services
 * do when throttled (ProvisionedThroughputExceededException, 503 SlowDown), and a fifth of the
 * sends answer 429 (throttled), so the SDKs' and the engine's own retries have to carry the run.
 * `kill=dynamodb` SIGKILLs DynamoDB Local halfway through the confirmation and starts it again
 * `down=3` seconds later on its persisted data; `kill=kinesis` does the same to kinesis-local (from
 * the snapshot it had a quarter of the way through, so records are always lost and put back), and
 * `kill=pubsub` to the GCP run's Pub/Sub emulator (restarted empty, the topics made whole by the run).
 */
import { z } from "zod";

/** The emulators a chaos run can crash, and the cloud whose local run has each. */
export const KILLABLE = { dynamodb: "aws", kinesis: "aws", pubsub: "gcp" } as const;
export type Killable = keyof typeof KILLABLE;

export const ChaosSchema = z
  .object({
    /** Share of calls (0-1) answered as throttled. */
    throttle: z.number().min(0).max(0.9).default(0),
    /** The emulator to crash (SIGKILL) mid-campaign and restart. */
    kill: z
      .enum(Object.keys(KILLABLE) as [Killable, ...Killable[]], {
        error: `takes ${Object.keys(KILLABLE).join(" or ")} (the AWS run's emulators, or the GCP run's Pub/Sub emulator)`,
      })
      .optional(),
    /** Seconds the killed emulator stays down. */
    down: z.number().min(0).max(120).default(3),
  })
  .strict();

export type Chaos = z.infer<typeof ChaosSchema>;

/** Keys whose value is a name; every other key takes a number. */
const NAMED_KEYS = new Set(["kill"]);

/** Parses "throttle=0.2[,key=value...]" (kill takes a name); throws one line naming the bad part. */
export function parseChaosSpec(spec: string): Chaos {
  const fields: Record<string, number | string> = {};
  for (const part of spec
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, value, extra] = part.split("=");
    if (!key || value === undefined || extra !== undefined || value.trim() === "") {
      throw new Error(`--chaos: "${part}" is not key=value (for example throttle=0.2 or kill=kinesis)`);
    }
    if (NAMED_KEYS.has(key)) {
      fields[key] = value.trim();
      continue;
    }
    const number = Number(value);
    if (!Number.isFinite(number)) {
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

/**
 * Why `chaos` cannot run on `cloud`'s local run, in one line, or undefined when it can:
 * throttling wraps AWS's SDK clients, and each cloud has its own emulators to kill.
 */
export function chaosMismatch(chaos: Chaos, cloud: string): string | undefined {
  if (chaos.throttle > 0 && cloud !== "aws") {
    return "--chaos throttle injects AWS's throttling errors: run it with --cloud aws";
  }
  if (chaos.kill && KILLABLE[chaos.kill] !== cloud) {
    const fits = Object.entries(KILLABLE)
      .filter(([, home]) => home === cloud)
      .map(([name]) => `kill=${name}`);
    return `--chaos kill=${chaos.kill} crashes an emulator of the ${KILLABLE[chaos.kill]} run: run it with --cloud ${KILLABLE[chaos.kill]}${fits.length > 0 ? ` (--cloud ${cloud} takes ${fits.join(" or ")})` : ""}`;
  }
  return undefined;
}
