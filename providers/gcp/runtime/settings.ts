import * as z from "zod/mini";
import { circuitBreakerSetting } from "../../../core/campaign/circuit-breaker-setting";
import { NotificationPatternSchema } from "../../../core/processing/patterns";
import {
  intSetting,
  jsonSetting,
  optionalSetting,
  optOutThresholdsSetting,
  parseSettings,
  requiredSetting,
  SettingsError,
  settingWithDefault,
} from "../../../core/settings";
import { FUNCTION_ENV as ENV } from "../infra/environment";

const required = requiredSetting;
const optional = optionalSetting;
const patterns = jsonSetting(z.array(NotificationPatternSchema));

/** A non-negative number (fractions allowed) that may be absent. */
const optionalAmount = z.pipe(
  optionalSetting,
  z.pipe(
    z.transform((text: string | undefined) => (text === undefined ? undefined : Number(text))),
    z.optional(z.number({ error: "must be a non-negative number" }).check(z.gte(0, "must be ≥ 0"))),
  ),
);

/** Read by every consumer: where poison messages go and how metrics are named. */
const common = {
  [ENV.project]: optional,
  [ENV.deadLetterTopic]: required,
  [ENV.metricNamespace]: settingWithDefault("SmsCampaigns"),
  [ENV.logLevel]: optional,
};

const firestore = { [ENV.firestoreDatabase]: optional };

/** The Twilio sender's settings (ticker and responses), all optional: unset, sends fail per message. */
const twilioSender = {
  [ENV.twilioAccountSid]: optional,
  [ENV.twilioAuthToken]: optional,
  [ENV.twilioMessagingServiceSid]: optional,
  [ENV.twilioStatusCallbackUrl]: optional,
};

/** The journeys a reply may move, and the campaigns whose journeys they are (reply counters). */
const journeyRouting = {
  [ENV.journeysCollection]: required,
  [ENV.subscribersCollection]: required,
  [ENV.campaignsCollection]: required,
};

const responses = {
  ...firestore,
  ...journeyRouting,
  [ENV.responsesCollection]: required,
  [ENV.optOutsCollection]: required,
  /** Replies held for opt-out review, and where a reply's confidence opts out or goes there. */
  [ENV.optOutReviewsCollection]: required,
  [ENV.optOutThresholds]: optOutThresholdsSetting,
  [ENV.messageLogCollection]: required,
  [ENV.notificationTopic]: required,
  [ENV.helpText]: required,
  [ENV.stopConfirmationText]: required,
  [ENV.notificationPatterns]: patterns,
  [ENV.phoneHashSalt]: optional,
  [ENV.consentLogCollection]: optional,
  /** Absent: opt-outs start no revocation clock. */
  [ENV.revocationClocksCollection]: optional,
  ...twilioSender,
};

const archive = { [ENV.archiveBucket]: required, [ENV.archivePrefix]: optional };

/**
 * Erasure screening (runtime/erasure-tombstones.ts): with the salt, erased numbers' tombstones are
 * looked up in the opt-outs collection. Absent: nothing is screened.
 */
const erasureScreen = { [ENV.optOutsCollection]: optional, [ENV.phoneHashSalt]: optional };

/**
 * Analytics and archive read the message log to complete phone-less receipts, and park the ones
 * it does not know yet.
 */
const messageLog = {
  ...firestore,
  [ENV.messageLogCollection]: required,
  [ENV.pendingReceiptsCollection]: required,
};

/** Every store a journey step touches: what the ticker and the enrollment function share. */
const journeyStores = {
  ...firestore,
  ...journeyRouting,
  [ENV.optOutsCollection]: required,
  /** Read before each send: a number held for review gets nothing until decided. */
  [ENV.optOutReviewsCollection]: required,
  [ENV.sendLedgerCollection]: required,
  [ENV.eventsTopic]: required,
  /** With it, erased numbers are seen as opted out and never enrolled again (journeyPortsOf). */
  [ENV.phoneHashSalt]: optional,
};

/** Send policy: the sender's MPS, the schedule's interval, quiet hours and a per-tick budget. */
const tickSettings = {
  [ENV.tickMps]: intSetting(1, 10_000, 1),
  [ENV.tickIntervalSeconds]: intSetting(60, 86_400, 60),
  [ENV.tickBudgetUsd]: optionalAmount,
  [ENV.sendWindowStartHour]: intSetting(0, 23, 8),
  [ENV.sendWindowEndHour]: intSetting(1, 24, 21),
};

/** The revocation SLA monitor the ticker runs after each tick; none without the clocks collection. */
const revocationMonitor = {
  [ENV.revocationClocksCollection]: optional,
  [ENV.messageLogCollection]: optional,
  [ENV.revocationSlaMinutes]: intSetting(1, 1440, 5),
};

export const JourneyStoresEnvSchema = z.object({ ...journeyStores });
export const TickerEnvSchema = z.object({
  ...common,
  ...journeyStores,
  ...twilioSender,
  ...tickSettings,
  ...revocationMonitor,
});
export const EnrollmentEnvSchema = z.object({
  ...common,
  ...journeyStores,
  [ENV.audienceBucket]: required,
  [ENV.enrollmentTopic]: required,
  [ENV.enrollmentChunkRows]: intSetting(1, 100_000, 1000),
});

/** Analytics runs the circuit breaker when the stack configures it: campaign records, counters and a topic. */
const circuitBreaker = {
  [ENV.circuitBreaker]: circuitBreakerSetting,
  [ENV.campaignsCollection]: optional,
  [ENV.notificationTopic]: optional,
};

export const AnalyticsEnvSchema = z.object({ ...common, ...messageLog, ...circuitBreaker });
export const ResponsesEnvSchema = z.object({ ...common, ...responses });
export const ArchiveEnvSchema = z.object({ ...common, ...messageLog, ...archive, ...erasureScreen });
export const WebhookEnvSchema = z.object({
  [ENV.project]: optional,
  [ENV.eventsTopic]: required,
  [ENV.twilioAuthToken]: required,
  [ENV.webhookPublicUrl]: optional,
});
/** Everything createGcpPorts builds from. */
export const GcpPortsEnvSchema = z.object({
  ...common,
  ...responses,
  ...archive,
  [ENV.eventsTopic]: required,
  [ENV.sendLedgerCollection]: required,
});

export type AnalyticsEnv = z.infer<typeof AnalyticsEnvSchema>;
export type ResponsesEnv = z.infer<typeof ResponsesEnvSchema>;
export type ArchiveEnv = z.infer<typeof ArchiveEnvSchema>;
export type WebhookEnv = z.infer<typeof WebhookEnvSchema>;
export type JourneyStoresEnv = z.infer<typeof JourneyStoresEnvSchema>;
export type TickerEnv = z.infer<typeof TickerEnvSchema>;
export type EnrollmentEnv = z.infer<typeof EnrollmentEnvSchema>;
export type GcpPortsEnv = z.infer<typeof GcpPortsEnvSchema>;

/** Parses env once; a failure lists each variable at fault, e.g. "DEAD_LETTER_TOPIC is required". */
export const parseEnv = <T extends z.ZodMiniType>(
  schema: T,
  env: Record<string, string | undefined> = process.env,
): z.infer<T> => parseSettings(schema, env, "function environment");

export { ENV, SettingsError };
