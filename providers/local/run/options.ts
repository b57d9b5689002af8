import { z } from "zod";
import { CarrierRatesSchema } from "../carrier/rates";
import { ChaosSchema, chaosMismatch } from "../chaos/chaos-spec";
import { LOCAL_CLOUDS } from "../clouds/local-cloud";

/** A daytime instant in the US and Europe (and night in Australia), so quiet hours hold a share. */
export const DEFAULT_SIMULATED_START = "2026-06-16T18:00:00.000Z";

export const LocalRunOptionsSchema = z
  .object({
    subscribers: z.number().int().min(1).max(1_000_000).default(2_000),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1),
    /** The simulated instant the campaign starts at (the run's clock; nothing sleeps for real). */
    at: z.iso.datetime().default(DEFAULT_SIMULATED_START),
    out: z.string().min(1).default(".sms-local"),
    /** Whose stack runs: its emulators, native formats and function entry points. */
    cloud: z.enum(LOCAL_CLOUDS).default("aws"),
    /** The stack file whose names and settings to use; default Pulumi.<cloud>.yaml. */
    stackFile: z.string().min(1).optional(),
    /** Message parts per second of the sending number (a short code sends 100). */
    mps: z.number().positive().max(10_000).default(100),
    /**
     * Shards of the local stream; default: the stack's count, at least 8. kinesis-local's
     * PutRecords costs grow with the records already in the target shard (it hashes the shard's
     * whole record list per entry), so spreading a 10,000-message run over more shards keeps it
     * under a minute; per-key order, which is what the consumers rely on, is the same.
     */
    shards: z.number().int().min(1).max(64).optional(),
    /** Fixed emulator ports (default: a free port each); a taken port fails with a message naming it. */
    ports: z
      .object({
        kinesis: z.number().int().min(1).max(65_535).optional(),
        dynamodb: z.number().int().min(1).max(65_535).optional(),
        fauxqs: z.number().int().min(1).max(65_535).optional(),
      })
      .strict()
      .default({}),
    /** Use DynamoDB Local (needs Java); false, or no Java, uses the in-memory stores. */
    dynamodbLocal: z.boolean().default(true),
    /** Seconds between the journey ticker's runs (simulated; a deployed schedule's default is a minute). */
    tickSeconds: z.number().int().min(1).max(3_600).default(60),
    /** Audience rows one invocation of the enrollment function enrolls. */
    enrollmentChunkRows: z.number().int().min(1).max(100_000).default(1_000),
    /** Messages the campaign has in flight at once. */
    concurrency: z.number().int().min(1).max(1_000).default(64),
    originationNumber: z
      .string()
      .regex(/^\+[1-9]\d{1,14}$/)
      .default("+18445550123"),
    rates: CarrierRatesSchema.default(CarrierRatesSchema.parse({})),
    /**
     * A deliverability spike (`--spike`): the simulated carrier blocks this share of the Welcome
     * Series' messages (CARRIER_BLOCKED or SPAM), mid-run, after the confirmation went out clean.
     */
    spike: z.number().min(0).max(1).default(0),
    /**
     * Run the analytics function's circuit breaker with the stack file's `circuitBreaker` settings;
     * default: on under a spike. (The seeded runs' rates are far above carrier guidance on purpose,
     * so a run without a spike leaves it off.)
     */
    circuitBreaker: z.boolean().optional(),
    /** Faults injected while the campaign runs (`--chaos throttle=0.2`); none by default. */
    chaos: ChaosSchema.default(ChaosSchema.parse({})),
    /**
     * Let the functions log as deployed (Powertools at DEBUG, the Functions library's console, GCP's
     * JSON lines) instead of keeping them quiet for the dashboard: the redaction test reads them.
     */
    functionLogs: z.boolean().default(false),
  })
  .strict()
  .superRefine((options, context) => {
    const mismatch = chaosMismatch(options.chaos, options.cloud);
    if (mismatch) context.addIssue({ code: "custom", message: mismatch, path: ["chaos"] });
  });

export type LocalRunOptions = z.infer<typeof LocalRunOptionsSchema>;
export type LocalRunInput = z.input<typeof LocalRunOptionsSchema>;
