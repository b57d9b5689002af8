import { z } from "zod";

/** How the simulated carrier behaves; every rate is a probability in [0, 1]. */
export const CarrierRatesSchema = z
  .object({
    /** Share of accepted messages whose final receipt is a failure. */
    deliveryFailureRate: z.number().min(0).max(1).default(0.03),
    /** Share of delivered messages that get a reply. */
    replyRate: z.number().min(0).max(1).default(0.12),
    /** Among replies: STOP, HELP and free text; the rest answer YES. */
    stopRate: z.number().min(0).max(1).default(0.15),
    helpRate: z.number().min(0).max(1).default(0.05),
    freeTextRate: z.number().min(0).max(1).default(0.3),
    /** Share of inbound replies delivered twice by SNS (at-least-once). */
    duplicateRate: z.number().min(0).max(1).default(0.02),
    /** Share of receipts the carrier garbles (not valid JSON): exercises the dead letter path. */
    poisonRate: z.number().min(0).max(1).default(0),
    /** Median receipt latency after the send, in simulated milliseconds. */
    receiptLatencyMs: z.number().int().positive().default(4_000),
    /** Median reply delay after delivery, in simulated milliseconds. */
    replyDelayMs: z.number().int().positive().default(180_000),
  })
  .strict()
  .refine((rates) => rates.stopRate + rates.helpRate + rates.freeTextRate <= 1, {
    message: "stopRate + helpRate + freeTextRate must not exceed 1",
  });

export type CarrierRates = z.infer<typeof CarrierRatesSchema>;

export const DEFAULT_CARRIER_RATES: CarrierRates = CarrierRatesSchema.parse({});
