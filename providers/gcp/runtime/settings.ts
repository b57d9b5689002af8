import * as z from "zod/mini";
import { NotificationPatternSchema } from "../../../core/processing/patterns";
import {
  jsonSetting,
  optionalSetting,
  parseSettings,
  requiredSetting,
  SettingsError,
  settingWithDefault,
} from "../../../core/settings";
import { FUNCTION_ENV as ENV } from "../infra/environment";

const required = requiredSetting;
const optional = optionalSetting;
const patterns = jsonSetting(z.array(NotificationPatternSchema));

/** Read by every consumer: where poison messages go and how metrics are named. */
const common = {
  [ENV.project]: optional,
  [ENV.deadLetterTopic]: required,
  [ENV.metricNamespace]: settingWithDefault("SmsCampaigns"),
  [ENV.logLevel]: optional,
};

const firestore = { [ENV.firestoreDatabase]: optional };

const responses = {
  ...firestore,
  [ENV.responsesCollection]: required,
  [ENV.optOutsCollection]: required,
  [ENV.messageLogCollection]: required,
  [ENV.notificationTopic]: required,
  [ENV.helpText]: required,
  [ENV.stopConfirmationText]: required,
  [ENV.notificationPatterns]: patterns,
  [ENV.twilioAccountSid]: optional,
  [ENV.twilioAuthToken]: optional,
  [ENV.twilioMessagingServiceSid]: optional,
  [ENV.twilioStatusCallbackUrl]: optional,
};

const archive = { [ENV.archiveBucket]: required, [ENV.archivePrefix]: optional };

/** Analytics and archive read the message log to complete phone-less receipts. */
const messageLog = { ...firestore, [ENV.messageLogCollection]: required };

export const AnalyticsEnvSchema = z.object({ ...common, ...messageLog });
export const ResponsesEnvSchema = z.object({ ...common, ...responses });
export const ArchiveEnvSchema = z.object({ ...common, ...messageLog, ...archive });
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
  [ENV.journeysCollection]: required,
  [ENV.subscribersCollection]: required,
});

export type AnalyticsEnv = z.infer<typeof AnalyticsEnvSchema>;
export type ResponsesEnv = z.infer<typeof ResponsesEnvSchema>;
export type ArchiveEnv = z.infer<typeof ArchiveEnvSchema>;
export type WebhookEnv = z.infer<typeof WebhookEnvSchema>;
export type GcpPortsEnv = z.infer<typeof GcpPortsEnvSchema>;

/** Parses env once; a failure lists each variable at fault, e.g. "DEAD_LETTER_TOPIC is required". */
export const parseEnv = <T extends z.ZodMiniType>(
  schema: T,
  env: Record<string, string | undefined> = process.env,
): z.infer<T> => parseSettings(schema, env, "function environment");

export { ENV, SettingsError };
