import * as z from "zod/mini";
import { circuitBreakerSetting } from "../../../core/campaign/circuit-breaker-setting";
import { NotificationPatternSchema } from "../../../core/processing/patterns";
import {
  intSetting,
  jsonSetting,
  logLevelSetting,
  optionalSetting,
  optOutThresholdsSetting,
  parseSettings,
  requiredSetting,
  SettingsError,
  settingWithDefault,
} from "../../../core/settings";
import { FUNCTION_ENV as ENV, RESPONSES_ENV } from "../infra/environment";

const required = requiredSetting;
const optional = optionalSetting;

export const LOG_LEVELS = ["DEBUG", "INFO", "WARN", "ERROR"] as const;

/**
 * Local-run overrides: with a connection string or key the client uses it (Azurite, the Cosmos
 * emulator, a dev namespace); without, it authenticates with the function's managed identity.
 */
const localOverrides = {
  COSMOS_KEY: optional,
  STORAGE_CONNECTION_STRING: optional,
  SERVICE_BUS_CONNECTION_STRING: optional,
  EVENT_HUBS_CONNECTION_STRING: optional,
};

/** Read by every handler. */
const common = {
  [ENV.serviceBusNamespace]: required,
  [ENV.deadLetterQueue]: required,
  [ENV.appInsightsConnectionString]: required,
  /** `ClientId=<id>;Authorization=AAD` when the component takes Entra ID ingestion only (infra sets it). */
  [ENV.appInsightsAuthentication]: optional,
  [ENV.managedIdentityClientId]: optional,
  [ENV.logLevel]: logLevelSetting(LOG_LEVELS),
  [ENV.serviceName]: settingWithDefault("sms-campaigns"),
  [ENV.metricNamespace]: settingWithDefault("SmsCampaigns"),
  [ENV.recordMaxAttempts]: intSetting(1, 10, 3),
  ...localOverrides,
};

const cosmos = {
  [ENV.cosmosEndpoint]: required,
  [ENV.cosmosDatabase]: required,
};

const responses = {
  ...cosmos,
  [ENV.responsesContainer]: required,
  [ENV.optOutsContainer]: required,
  /** Replies held for opt-out review, and where a reply's confidence opts out or goes there. */
  [ENV.optOutReviewsContainer]: required,
  [ENV.optOutThresholds]: optOutThresholdsSetting,
  [ENV.messageLogContainer]: required,
  /** Reply routing: replies advance the code's journeys and launched campaigns'. */
  [ENV.journeysContainer]: required,
  [ENV.subscribersContainer]: required,
  [ENV.campaignsContainer]: required,
  [ENV.notificationTopic]: required,
  [ENV.helpText]: required,
  [ENV.stopConfirmationText]: required,
  [ENV.notificationPatterns]: jsonSetting(z.array(NotificationPatternSchema)),
  [ENV.acsEndpoint]: required,
  /** Empty when the stack has no ACS number yet: HELP/STOP answers then fail (and are logged), replies are still stored. */
  [ENV.senderNumber]: optional,
  [RESPONSES_ENV.phoneHashSalt]: optional,
  /** Absent: opt-outs start no revocation clock. */
  [ENV.revocationClocksContainer]: optional,
  [RESPONSES_ENV.consentLogContainer]: optional,
};

/**
 * Erasure screening (runtime/erasure-tombstones.ts): with the salt, erased numbers' tombstones are
 * looked up in the opt-outs container. Absent: nothing is screened.
 */
const erasureScreen = {
  [ENV.optOutsContainer]: optional,
  [RESPONSES_ENV.phoneHashSalt]: optional,
};

const archive = {
  [ENV.archiveBlobEndpoint]: required,
  [ENV.archiveContainer]: required,
  [ENV.archivePrefix]: optional,
};

/** A positive number that may be absent (the tick's budget in USD). */
const optionalPositiveNumber = z.pipe(
  optional,
  z.transform((text, ctx) => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (Number.isFinite(value) && value > 0) return value;
    ctx.issues.push({ code: "custom", message: "must be a positive number of USD", input: text });
    return z.NEVER;
  }),
);

/** The stores, stream and sender the ticker and the enrollment function share. */
const journeyPorts = {
  ...cosmos,
  [ENV.eventHubsNamespace]: required,
  [ENV.eventHubName]: required,
  [ENV.sendLedgerContainer]: required,
  [ENV.journeysContainer]: required,
  [ENV.subscribersContainer]: required,
  [ENV.optOutsContainer]: required,
  /** Read before each send: a number held for review gets nothing until decided. */
  [ENV.optOutReviewsContainer]: required,
  [ENV.campaignsContainer]: required,
  [ENV.acsEndpoint]: required,
  [ENV.senderNumber]: optional,
};

/** The campaigns app: ticker (timer) and enrollment (Service Bus queue). Defaults match the stack config's. */
const campaigns = {
  ...common,
  ...journeyPorts,
  [ENV.audienceBlobEndpoint]: required,
  [ENV.audienceContainer]: required,
  [ENV.enrollmentQueue]: required,
  /** The revocation SLA monitor the ticker runs after each tick; none without its clocks. */
  [ENV.revocationClocksContainer]: optional,
  [ENV.messageLogContainer]: optional,
  [ENV.revocationSlaMinutes]: intSetting(1, 1440, 5),
  [ENV.tickIntervalSeconds]: intSetting(1, 86_400, 60),
  [ENV.tickMps]: intSetting(1, 10_000, 1),
  [ENV.tickBudgetUsd]: optionalPositiveNumber,
  [ENV.sendWindowStartHour]: intSetting(0, 23, 8),
  [ENV.sendWindowEndHour]: intSetting(1, 24, 21),
  [ENV.enrollmentChunkRows]: intSetting(1, 100_000, 2_000),
  /** Erased numbers are seen as opted out and never enrolled again (their opt-outs container is journeyPorts'). */
  [RESPONSES_ENV.phoneHashSalt]: optional,
};

/** Everything createAzurePorts builds from. */
const allPorts = {
  ...common,
  ...responses,
  ...archive,
  ...journeyPorts,
};

/**
 * Analytics and archive read the message log to complete phone-less receipts, and park the ones
 * it does not know yet.
 */
const messageLog = {
  ...cosmos,
  [ENV.messageLogContainer]: required,
  [ENV.pendingReceiptsContainer]: required,
};

/** Analytics runs the circuit breaker when the stack configures it: campaign records, counters and a topic. */
const circuitBreaker = {
  [ENV.circuitBreaker]: circuitBreakerSetting,
  [ENV.campaignsContainer]: optional,
  [ENV.notificationTopic]: optional,
};

export const CommonEnvSchema = z.object(common);
export const AnalyticsEnvSchema = z.object({ ...common, ...messageLog, ...circuitBreaker });
export const ResponsesEnvSchema = z.object({ ...common, ...responses });
export const ArchiveEnvSchema = z.object({ ...common, ...messageLog, ...archive, ...erasureScreen });
export const AzurePortsEnvSchema = z.object(allPorts);
export const CampaignsEnvSchema = z.object(campaigns);

export type CommonEnv = z.infer<typeof CommonEnvSchema>;
export type ResponsesEnv = z.infer<typeof ResponsesEnvSchema>;
export type ArchiveEnv = z.infer<typeof ArchiveEnvSchema>;
export type AzurePortsEnv = z.infer<typeof AzurePortsEnvSchema>;
export type CampaignsEnv = z.infer<typeof CampaignsEnvSchema>;

/** Parses the environment once; a failure lists each setting at fault, e.g. "COSMOS_ENDPOINT is required". */
export const parseEnv = <T extends z.ZodMiniType>(
  schema: T,
  env: Record<string, string | undefined> = process.env,
): z.infer<T> => parseSettings(schema, env, "function app settings");

export { ENV, SettingsError };
