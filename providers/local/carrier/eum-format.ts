/** End User Messaging SMS on AWS: receipts as EventBridge events, replies inside SNS notifications. */
import type { CarrierFormat } from "./format";
import { eventBridgeReceipt, SIMULATED_ACCOUNT, snsInboundNotification } from "./native";

const encoder = new TextEncoder();
const toBytes = (value: unknown) => encoder.encode(JSON.stringify(value));

export function eumFormat(inboundTopicArn: string): CarrierFormat {
  return {
    phonelessReceipts: true,
    receipt: (fields) => toBytes(eventBridgeReceipt(fields)),
    reply: (fields) => toBytes(snsInboundNotification(fields, inboundTopicArn)),
    // EUM reports a registered keyword by name and anything else as the account's catch-all keyword.
    keywordOf: (kind) =>
      kind === "stop" ? "STOP" : kind === "help" ? "HELP" : `KEYWORD_${SIMULATED_ACCOUNT}`,
  };
}
