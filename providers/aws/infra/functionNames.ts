/**
 * The AWS functions by name, shared by the bundler (handlers/bundle.ts: one bundle per name) and
 * the infra (one Lambda per name). Plain constants: no Pulumi, no esbuild.
 */

/** The Kinesis consumers (StreamFunction). */
export const STREAM_HANDLER_NAMES = ["analytics", "responses", "archive"] as const;
export type StreamHandlerName = (typeof STREAM_HANDLER_NAMES)[number];

/** The campaign functions: the scheduled journey ticker and the audience enrollment (TaskFunction). */
export const CAMPAIGN_HANDLER_NAMES = ["ticker", "enrollment"] as const;
export type CampaignHandlerName = (typeof CAMPAIGN_HANDLER_NAMES)[number];

/** Every bundled function of the AWS stack. */
export const HANDLER_NAMES = [...STREAM_HANDLER_NAMES, ...CAMPAIGN_HANDLER_NAMES] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];
