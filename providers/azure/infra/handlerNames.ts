/** The three stream consumers; each is one function app with its own consumer group. */
export const HANDLER_NAMES = ["analytics", "responses", "archive"] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];
