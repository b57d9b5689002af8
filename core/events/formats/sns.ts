/**
 * An SNS notification (HTTP/SQS delivery body, or the `Sns` object of a Lambda SNS event) whose
 * Message is a JSON payload we decode. Its Timestamp is when SNS received the message.
 */
import { tryParseJson } from "./build";
import { type DecodeContext, type DecodeResult, invalidJson, invalidPayload } from "./result";
import { isoFromText } from "./time";
import { type JsonObject, text } from "./values";

export function isSnsNotification(payload: JsonObject): boolean {
  return payload.Type === "Notification" && "Message" in payload;
}

export function decodeSnsNotification(
  payload: JsonObject,
  context: DecodeContext,
  decodeInner: (value: unknown, context: DecodeContext) => DecodeResult,
): DecodeResult {
  const message = payload.Message;
  if (typeof message !== "string") return invalidPayload("SNS notification: Message is not a string");
  const parsed = tryParseJson(message);
  if (!parsed.ok) {
    return invalidJson(
      `SNS notification ${text(payload, "MessageId") ?? ""}: Message is not JSON (${parsed.reason})`.replace(
        "  ",
        " ",
      ),
    );
  }
  const receivedAt = isoFromText(payload.Timestamp) ?? context.receivedAt;
  return decodeInner(parsed.value, receivedAt === undefined ? context : { ...context, receivedAt });
}
