/**
 * The two-way SMS message End User Messaging publishes to an SNS topic when a subscriber texts us.
 * It carries no timestamp: the time is when it was received (the SNS notification's Timestamp or
 * the stream's arrival time). Shape: docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms-payload.html
 */
import { type EventDraft, finishEvent, stableEventId } from "./build";
import { senderIdentity } from "./phone";
import { type DecodeContext, type DecodeResult, invalidPayload } from "./result";
import { isoFromText } from "./time";
import { type JsonObject, text } from "./values";

const FORMAT = "two-way SMS message";

export function isTwoWayMessage(payload: JsonObject): boolean {
  return typeof payload.originationNumber === "string" && "messageBody" in payload;
}

export function decodeTwoWay(payload: JsonObject, context: DecodeContext): DecodeResult {
  const inboundMessageId = text(payload, "inboundMessageId");
  if (inboundMessageId === undefined) return invalidPayload(`${FORMAT}: inboundMessageId is missing`);
  const occurredAt = isoFromText(context.receivedAt);
  if (occurredAt === undefined) return missingTime("A two-way SMS message");
  const body = payload.messageBody;
  const draft: EventDraft = {
    eventId: stableEventId("aws-eum", inboundMessageId, "received"),
    kind: "received",
    occurredAt,
    provider: "aws-eum",
    senderNumber: senderIdentity(text(payload, "destinationNumber")),
    messageId: inboundMessageId,
    inReplyTo: text(payload, "previousPublishedMessageId"),
    body: typeof body === "string" ? body : undefined,
    keyword: text(payload, "messageKeyword"),
  };
  return finishEvent(FORMAT, draft, text(payload, "originationNumber"));
}

/** The error for payloads whose time only the transport knows. */
export function missingTime(format: string): DecodeResult {
  return invalidPayload(
    `${format} carries no timestamp of its own: decode it with the time it was received (an envelope's publish time, or smsctl decode --received-at)`,
  );
}
