/**
 * The wire format the simulated carrier speaks on a cloud: each cloud's local run picks the format
 * its messaging service delivers (End User Messaging's EventBridge/SNS payloads, ACS's Event Grid
 * events, Twilio's signed webhooks), so the real decoders and ingress functions run on each.
 */
import type { InboundFields, ReceiptFields } from "./native";

export interface CarrierFormat {
  /** Whether the service may report a receipt without the phone number and our ids (EUM's EventBridge form). */
  readonly phonelessReceipts: boolean;
  /** The receipt's native bytes; `phoneless` drops the number and context where the format allows. */
  receipt(fields: ReceiptFields): Uint8Array;
  /** The reply's native bytes. */
  reply(fields: InboundFields): Uint8Array;
  /** The keyword the service reports for a reply of this kind, when its format carries one. */
  keywordOf(kind: "yes" | "stop" | "help" | "free_text"): string;
}
