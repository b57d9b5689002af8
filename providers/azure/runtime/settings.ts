import { z } from "zod";
import { NotificationPatternSchema } from "../../../core/processing/patterns";
import { FUNCTION_ENV as ENV } from "../infra/environment";

/** A missing or invalid app setting; the message names every setting at fault. */
export class SettingsError extends Error {
  override name = "SettingsError";
}

const required = z.string({ error: "is required" }).trim().min(1, { error: "must not be empty" });
const optional = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

const jsonOf = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (!text?.trim()) return [];
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be valid JSON" });
        return z.NEVER;
      }
    })
    .pipe(schema);

const intSetting = (min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((text) => (text?.trim() ? Number(text) : fallback))
    .pipe(
      z
        .number()
        .int({ error: `must be an integer between ${min} and ${max}` })
        .min(min, { error: `must be an integer between ${min} and ${max}` })
        .max(max, { error: `must be an integer between ${min} and ${max}` }),
    );

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
  [ENV.logLevel]: z
    .string()
    .optional()
    .transform((level) => (level ? level.toUpperCase() : "INFO"))
    .pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` })),
  [ENV.serviceName]: z.string().trim().min(1).default("sms-campaigns"),
  [ENV.metricNamespace]: z.string().trim().min(1).default("SmsCampaigns"),
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
  [ENV.messageLogContainer]: required,
  [ENV.notificationTopic]: required,
  [ENV.helpText]: required,
  [ENV.stopConfirmationText]: required,
  [ENV.notificationPatterns]: jsonOf(z.array(NotificationPatternSchema)),
  [ENV.acsEndpoint]: required,
  /** Empty when the stack has no ACS number yet: HELP/STOP answers then fail (and are logged), replies are still stored. */
  [ENV.senderNumber]: optional,
};

const archive = {
  [ENV.archiveBlobEndpoint]: required,
  [ENV.archiveContainer]: required,
  [ENV.archivePrefix]: optional,
};

/** Everything createAzurePorts builds from. */
const allPorts = {
  ...common,
  ...responses,
  ...archive,
  [ENV.eventHubsNamespace]: required,
  [ENV.eventHubName]: required,
  [ENV.sendLedgerContainer]: required,
  [ENV.journeysContainer]: required,
  [ENV.subscribersContainer]: required,
};

export const AnalyticsEnvSchema = z.object(common);
export const ResponsesEnvSchema = z.object({ ...common, ...responses });
export const ArchiveEnvSchema = z.object({ ...common, ...archive });
export const AzurePortsEnvSchema = z.object(allPorts);

export type CommonEnv = z.infer<typeof AnalyticsEnvSchema>;
export type ResponsesEnv = z.infer<typeof ResponsesEnvSchema>;
export type ArchiveEnv = z.infer<typeof ArchiveEnvSchema>;
export type AzurePortsEnv = z.infer<typeof AzurePortsEnvSchema>;

/** Parses the environment once; a failure lists each setting at fault, e.g. "COSMOS_ENDPOINT is required". */
export const parseEnv = <T extends z.ZodType>(
  schema: T,
  env: Record<string, string | undefined> = process.env,
): z.infer<T> => {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join(".") || "environment"} ${issue.message}`,
  );
  throw new SettingsError(`invalid function app settings: ${problems.join("; ")}`);
};

export { ENV };
