/**
 * Azure Communication Services SMS on Azure: delivery reports
 * (`Microsoft.Communication.SMSDeliveryReportReceived`) and replies (`Microsoft.Communication.SMSReceived`)
 * in the Event Grid schema, as the stack's system topic subscriptions deliver them to the Event Hub
 * (`eventDeliverySchema: EventGridSchema`, infra/smsChannel.ts): the hub message body is the JSON
 * array Event Grid delivers, here holding one event. Fields as the Event Grid docs show them
 * (learn.microsoft.com/azure/event-grid/communication-services-telephony-sms-events).
 *
 * ACS reports no price and no carrier fee, and carries no keyword: those fields of the carrier's
 * view are dropped on purpose. Our ids travel in the SMS `tag` (encodeAcsTag), which ACS echoes
 * on the delivery report, never on a reply.
 */
import { encodeAcsTag } from "../../../core/events/formats/acs";
import type { FinalStatus } from "./fate";
import type { CarrierFormat } from "./format";
import type { InboundFields, ReceiptFields } from "./native";

export const ACS_EVENT_TYPES = {
  deliveryReport: "Microsoft.Communication.SMSDeliveryReportReceived",
  received: "Microsoft.Communication.SMSReceived",
} as const;

/** The simulated ACS resource, as the system topic names its source. */
export const SIMULATED_ACS_TOPIC =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sms-local/providers/microsoft.communication/communicationservices/sms-local";

/**
 * What ACS reports for each of the carrier's final statuses: "Delivered", or "Failed" with the
 * details text (the decoder keeps it as the failure reason).
 */
export const ACS_DELIVERY_DETAILS: Record<FinalStatus, string> = {
  DELIVERED: "No error.",
  CARRIER_UNREACHABLE: "Carrier network error: the recipient's carrier could not be reached.",
  UNREACHABLE: "Destination unreachable: the handset is switched off or out of coverage.",
  BLOCKED: "Message blocked by the recipient.",
  TTL_EXPIRED: "Message expired before it could be delivered.",
  INVALID: "Invalid destination number.",
  SPAM: "Message rejected by the carrier as spam.",
  CARRIER_BLOCKED: "Message blocked by the recipient's carrier.",
  UNKNOWN: "Delivery failed for an unknown reason.",
};

export const acsDeliveryStatusOf = (status: string): "Delivered" | "Failed" =>
  status === "DELIVERED" ? "Delivered" : "Failed";

export interface EventGridEvent {
  id: string;
  topic: string;
  subject: string;
  eventType: string;
  eventTime: string;
  data: Record<string, unknown>;
  dataVersion: string;
  metadataVersion: "1";
}

/** Event Grid's subject for ACS SMS events: the ACS number, without its "+". */
const subjectOf = (acsNumber: string) => `/phonenumber/${acsNumber.replace(/^\+/, "")}`;

export function acsDeliveryReport(fields: ReceiptFields, topic = SIMULATED_ACS_TOPIC): EventGridEvent {
  const delivered = fields.status === "DELIVERED";
  const tag = fields.context ? encodeAcsTag(fields.context) : undefined;
  return {
    id: fields.eventId,
    topic,
    subject: subjectOf(fields.origination),
    eventType: ACS_EVENT_TYPES.deliveryReport,
    eventTime: fields.reportedAt.toISOString(),
    data: {
      messageId: fields.messageId,
      from: fields.origination,
      ...(fields.destination === undefined ? {} : { to: fields.destination }),
      deliveryStatus: acsDeliveryStatusOf(fields.status),
      deliveryStatusDetails: ACS_DELIVERY_DETAILS[fields.status as FinalStatus] ?? fields.statusDescription,
      deliveryAttempts: [
        {
          timestamp: fields.reportedAt.toISOString(),
          segmentsSucceeded: delivered ? fields.parts : 0,
          segmentsFailed: delivered ? 0 : fields.parts,
        },
      ],
      receivedTimestamp: fields.reportedAt.toISOString(),
      ...(tag === undefined ? {} : { tag }),
    },
    dataVersion: "1.0",
    metadataVersion: "1",
  };
}

export function acsSmsReceived(fields: InboundFields, topic = SIMULATED_ACS_TOPIC): EventGridEvent {
  return {
    id: fields.notificationId,
    topic,
    subject: subjectOf(fields.to),
    eventType: ACS_EVENT_TYPES.received,
    eventTime: fields.receivedAt.toISOString(),
    data: {
      messageId: fields.inboundMessageId,
      from: fields.from,
      to: fields.to,
      message: fields.body,
      receivedTimestamp: fields.receivedAt.toISOString(),
    },
    dataVersion: "1.0",
    metadataVersion: "1",
  };
}

const encoder = new TextEncoder();
/** Event Grid delivers an array of events; each hub message holds one delivery. */
const deliveryBytes = (event: EventGridEvent) => encoder.encode(JSON.stringify([event]));

export function acsFormat(topic = SIMULATED_ACS_TOPIC): CarrierFormat {
  return {
    // ACS delivery reports always name both numbers.
    phonelessReceipts: false,
    receipt: (fields) => deliveryBytes(acsDeliveryReport(fields, topic)),
    reply: (fields) => deliveryBytes(acsSmsReceived(fields, topic)),
    // ACS has no keywords: the responses function classifies the body itself.
    keywordOf: () => "",
  };
}
