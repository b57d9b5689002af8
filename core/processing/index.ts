export * from "./analytics";
export * from "./archive";
export * from "./attribution";
export * from "./batch";
export * from "./classify";
export * from "./patterns";
export * from "./replay";
export {
  buildResponseRecord,
  processReplies,
  RESPONSE_TTL_SECONDS,
  type RepliesOutcome,
  type ResponsesPorts,
  type ResponsesSettings,
} from "./responses";
