/**
 * Native payloads exactly as AWS delivers them to the stream, so the real decoders run:
 * - delivery receipts: the End User Messaging SMS v2 event in its EventBridge form
 *   (`source: aws.sms-voice`, detail-type "Text Message Delivery Status Updated"), which is what the
 *   deployed EventBridge -> Kinesis rule puts on the stream; with or without destinationPhoneNumber
 *   and context (AWS's own samples have neither);
 * - replies: the two-way SMS payload inside the SNS notification envelope.
 * The field sets are the carrier's view of a receipt and a reply; other clouds' formats
 * (carrier/format.ts) render the same fields in their own payloads.
 */

export const SIMULATED_ACCOUNT = "111122223333";
export const SIMULATED_REGION = "us-east-1";

export interface ReceiptFields {
  eventId: string;
  messageId: string;
  origination: string;
  /** Absent in the documented EventBridge form. */
  destination?: string;
  isoCountryCode: string;
  messageType: "TRANSACTIONAL" | "PROMOTIONAL";
  /** messageStatus value, e.g. DELIVERED, CARRIER_UNREACHABLE. */
  status: string;
  statusDescription: string;
  requestedAt: Date;
  reportedAt: Date;
  parts: number;
  priceUsd: number;
  carrierFeeUsd: number;
  encoding: "GSM" | "UCS2";
  /** Absent in the documented EventBridge form. */
  context?: Record<string, string>;
}

export interface EventBridgeReceipt {
  version: "0";
  id: string;
  "detail-type": "Text Message Delivery Status Updated";
  source: "aws.sms-voice";
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** EventBridge's `time` has second precision, without milliseconds. */
const eventBridgeTime = (at: Date) => `${at.toISOString().slice(0, 19)}Z`;

export function eventBridgeReceipt(fields: ReceiptFields): EventBridgeReceipt {
  return {
    version: "0",
    id: fields.eventId,
    "detail-type": "Text Message Delivery Status Updated",
    source: "aws.sms-voice",
    account: SIMULATED_ACCOUNT,
    time: eventBridgeTime(fields.reportedAt),
    region: SIMULATED_REGION,
    resources: [],
    detail: {
      eventType: `TEXT_${fields.status}`,
      eventVersion: "1.0",
      eventTimestamp: fields.reportedAt.getTime(),
      isFinal: true,
      originationPhoneNumber: fields.origination,
      ...(fields.destination === undefined ? {} : { destinationPhoneNumber: fields.destination }),
      isoCountryCode: fields.isoCountryCode,
      isInternationalSend: fields.isoCountryCode !== "US",
      mcc: "310",
      mnc: "260",
      carrierName: "Simulated Wireless",
      messageId: fields.messageId,
      messageRequestTimestamp: fields.requestedAt.getTime(),
      messageEncoding: fields.encoding,
      messageType: fields.messageType,
      messageStatus: fields.status,
      messageStatusDescription: fields.statusDescription,
      ...(fields.context === undefined ? {} : { context: fields.context }),
      totalMessageParts: fields.parts,
      totalMessagePrice: fields.priceUsd,
      totalCarrierFee: fields.carrierFeeUsd,
    },
  };
}

export interface InboundFields {
  notificationId: string;
  /** The subscriber's number (the reply's origination). */
  from: string;
  /** Our number (the reply's destination). */
  to: string;
  body: string;
  keyword: string;
  inboundMessageId: string;
  previousPublishedMessageId: string;
  receivedAt: Date;
}

export interface SnsNotification {
  Type: "Notification";
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: "1";
  Signature: string;
  SigningCertURL: string;
  UnsubscribeURL: string;
}

export function snsInboundNotification(fields: InboundFields, topicArn: string): SnsNotification {
  const message = {
    originationNumber: fields.from,
    destinationNumber: fields.to,
    messageKeyword: fields.keyword,
    messageBody: fields.body,
    inboundMessageId: fields.inboundMessageId,
    previousPublishedMessageId: fields.previousPublishedMessageId,
  };
  return {
    Type: "Notification",
    MessageId: fields.notificationId,
    TopicArn: topicArn,
    Message: JSON.stringify(message),
    Timestamp: fields.receivedAt.toISOString(),
    SignatureVersion: "1",
    // The local run does not sign; the handler does not verify signatures on the stream path.
    Signature: "SIMULATED",
    SigningCertURL: `https://sns.${SIMULATED_REGION}.amazonaws.com/SimpleNotificationService-local.pem`,
    UnsubscribeURL: `https://sns.${SIMULATED_REGION}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}:local`,
  };
}
