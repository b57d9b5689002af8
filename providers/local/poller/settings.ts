import { z } from "zod";

/**
 * The event source mapping settings the poller honours, named as in Lambda's
 * CreateEventSourceMapping API (the deployed mappings use the same values from the stack config).
 */
export const EventSourceMappingSettingsSchema = z
  .object({
    batchSize: z.number().int().min(1).max(10_000).default(100),
    maximumBatchingWindowInSeconds: z.number().min(0).max(300).default(1),
    bisectBatchOnFunctionError: z.boolean().default(true),
    /** -1 means retry until the record expires, as in Lambda. */
    maximumRetryAttempts: z.number().int().min(-1).max(10_000).default(3),
    maximumRecordAgeInSeconds: z.number().int().min(-1).max(604_800).default(-1),
    reportBatchItemFailures: z.boolean().default(true),
  })
  .strict();

export type EventSourceMappingSettings = z.infer<typeof EventSourceMappingSettingsSchema>;
