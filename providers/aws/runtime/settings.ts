// zod/mini keeps the bundles small (see core/events/schema.ts).
import * as z from "zod/mini";
import { circuitBreakerSetting } from "../../../core/campaign/circuit-breaker-setting";
import { NotificationPatternSchema } from "../../../core/processing/patterns";
import {
  intSetting,
  jsonSetting,
  logLevelSetting,
  optionalNumberSetting,
  optionalSetting,
  optOutThresholdsSetting,
  parseSettings,
  requiredSetting,
  SettingsError,
  settingWithDefault,
} from "../../../core/settings";
import { ENROLLMENT_ENV, FUNCTION_ENV as ENV, RESPONSES_ENV, TICKER_ENV } from "../infra/environment";
import type { AwsClientOptions, AwsEndpoints } from "./client-config";

const required = requiredSetting;
const optional = optionalSetting;

export const LOG_LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "SILENT", "CRITICAL"] as const;

/** Read by every handler. */
const common = {
  [ENV.deadLetterQueueUrl]: required,
  [ENV.logLevel]: logLevelSetting(LOG_LEVELS),
  [ENV.serviceName]: optional,
  [ENV.metricNamespace]: settingWithDefault("SmsCampaigns"),
  AWS_REGION: optional,
  AWS_ENDPOINT_URL: optional,
  AWS_ENDPOINT_URL_KINESIS: optional,
  AWS_ENDPOINT_URL_DYNAMODB: optional,
  AWS_ENDPOINT_URL_S3: optional,
  AWS_ENDPOINT_URL_SNS: optional,
  AWS_ENDPOINT_URL_SQS: optional,
};

const responses = {
  [ENV.responsesTable]: required,
  [ENV.optOutsTable]: required,
  /** Replies held for review; the ticker reads it too (allPorts), so a held number gets nothing. */
  [ENV.optOutReviewsTable]: required,
  [ENV.optOutThresholds]: optOutThresholdsSetting,
  [ENV.messageLogTable]: required,
  [ENV.journeysTable]: required,
  [ENV.subscribersTable]: required,
  /** Launched campaigns: their journeys route replies, and count them per branch. */
  [ENV.campaignsTable]: required,
  [ENV.notificationTopicArn]: required,
  [ENV.helpText]: required,
  [ENV.stopConfirmationText]: required,
  [ENV.notificationPatterns]: jsonSetting(z.array(NotificationPatternSchema)),
  [ENV.configurationSet]: optional,
  [ENV.originationIdentity]: optional,
  [RESPONSES_ENV.phoneHashSalt]: optional,
  [RESPONSES_ENV.consentLogTable]: optional,
  /** Absent: opt-outs start no revocation clock, and the ticker runs no SLA monitor. */
  [ENV.revocationClocksTable]: optional,
};

const archive = {
  [ENV.archiveBucket]: required,
  [ENV.archivePrefix]: optional,
};

/** Everything createAwsPorts builds from (npm start and the integration tests set all of it). */
const allPorts = {
  ...common,
  ...responses,
  ...archive,
  [ENV.streamName]: required,
  [ENV.sendLedgerTable]: required,
};

/** The journey ticker builds every port (createAwsPorts) and paces to the origination's MPS. */
const ticker = {
  [TICKER_ENV.tickMps]: intSetting(1, 10_000, 1),
  [TICKER_ENV.tickIntervalSeconds]: intSetting(1, 86_400, 60),
  [TICKER_ENV.tickBudgetUsd]: optionalNumberSetting(0.01, 1_000_000),
  [TICKER_ENV.sendWindowStartHour]: intSetting(0, 23, 8),
  [TICKER_ENV.sendWindowEndHour]: intSetting(1, 24, 21),
  [TICKER_ENV.revocationSlaMinutes]: intSetting(1, 1440, 5),
};

/** Enrollment writes subscribers and journey states, and hands each next chunk to its queue. */
const enrollment = {
  [ENROLLMENT_ENV.chunkRows]: intSetting(1, 100_000, 2000),
  [ENROLLMENT_ENV.chunkQueueUrl]: required,
};

export const TickerEnvSchema = z.object({ ...allPorts, ...ticker });
export type TickerEnv = z.infer<typeof TickerEnvSchema>;
export const EnrollmentEnvSchema = z.object({ ...allPorts, ...enrollment });
export type EnrollmentEnv = z.infer<typeof EnrollmentEnvSchema>;
/**
 * Analytics and archive read the message log to complete phone-less receipts, and park the ones
 * it does not know yet.
 */
const messageLog = { [ENV.messageLogTable]: required, [ENV.pendingReceiptsTable]: required };
/** Analytics runs the circuit breaker when the stack configures it: campaign records, counters and a topic. */
const circuitBreaker = {
  [ENV.circuitBreaker]: circuitBreakerSetting,
  [ENV.campaignsTable]: optional,
  [ENV.notificationTopicArn]: optional,
};

const CommonEnvSchema = z.object(common);
export const AnalyticsEnvSchema = z.object({ ...common, ...messageLog, ...circuitBreaker });
export const ResponsesEnvSchema = z.object({ ...common, ...responses });
export const ArchiveEnvSchema = z.object({ ...common, ...messageLog, ...archive });
export const AwsPortsEnvSchema = z.object(allPorts);

/** What every handler's environment has. */
export type CommonEnv = z.infer<typeof CommonEnvSchema>;
export type AnalyticsEnv = z.infer<typeof AnalyticsEnvSchema>;
export type ResponsesEnv = z.infer<typeof ResponsesEnvSchema>;
export type ArchiveEnv = z.infer<typeof ArchiveEnvSchema>;
export type AwsPortsEnv = z.infer<typeof AwsPortsEnvSchema>;

export { ENROLLMENT_ENV, TICKER_ENV };

/** Parses env once; a failure lists each variable at fault, e.g. "DLQ_URL is required". */
export const parseEnv = <T extends z.ZodMiniType>(
  schema: T,
  env: Record<string, string | undefined> = process.env,
): z.infer<T> => parseSettings(schema, env, "function environment");

/** Service endpoints from AWS_ENDPOINT_URL_<SERVICE>, falling back to AWS_ENDPOINT_URL (local runs). */
export const endpointsOf = (env: CommonEnv): AwsEndpoints => {
  const pick = (specific: string | undefined) => specific ?? env.AWS_ENDPOINT_URL;
  const endpoints: AwsEndpoints = {
    kinesis: pick(env.AWS_ENDPOINT_URL_KINESIS),
    dynamodb: pick(env.AWS_ENDPOINT_URL_DYNAMODB),
    s3: pick(env.AWS_ENDPOINT_URL_S3),
    sns: pick(env.AWS_ENDPOINT_URL_SNS),
    sqs: pick(env.AWS_ENDPOINT_URL_SQS),
  };
  return Object.fromEntries(Object.entries(endpoints).filter(([, v]) => v !== undefined));
};

/** Client options for a parsed environment: its region and endpoint overrides. */
export const clientOptionsOf = (env: CommonEnv): AwsClientOptions => ({
  ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}),
  endpoints: endpointsOf(env),
});

export { ENV, SettingsError };
