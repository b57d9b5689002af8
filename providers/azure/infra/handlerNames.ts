/** The three stream consumers; each is one function app with its own consumer group. */
export const HANDLER_NAMES = ["analytics", "responses", "archive"] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

/** The app that runs launched campaigns: the ticker (timer) and enrollment (Service Bus queue). */
export const CAMPAIGNS_APP = "campaigns";
/** Every function app of the stack, each its own deployment package. */
export const APP_NAMES = [...HANDLER_NAMES, CAMPAIGNS_APP] as const;
export type AppName = (typeof APP_NAMES)[number];
