import {
  type PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  type SendTextMessageCommandInput,
} from "@aws-sdk/client-pinpoint-sms-voice-v2";
import type { SendRequest, SendResult, SmsSender } from "../../../core/ports";

export interface EumSenderConfig {
  /** Phone number, sender id, pool id or their ARN; a request's `from` overrides it. */
  originationIdentity: string;
  /** Routes delivery events to our event destination (Kinesis via EventBridge/Firehose). */
  configurationSetName?: string;
  /** Default per-part price cap in USD, when the request carries none. */
  maxPriceUsd?: number;
  /** Default time to live in seconds, when the request carries none. */
  ttlSeconds?: number;
}

/** Our ids ride in the message `Context`; End User Messaging returns them in every event. */
export function sendContextOf(request: SendRequest): Record<string, string> {
  const context: Record<string, string> = { idempotencyKey: request.idempotencyKey };
  if (request.campaignId) context.campaignId = request.campaignId;
  if (request.journeyId) context.journeyId = request.journeyId;
  if (request.subscriberId) context.subscriberId = request.subscriberId;
  return context;
}

/** Fields every AWS SDK v3 service exception carries. */
interface AwsSdkError {
  name?: string;
  message?: string;
  Reason?: string;
  Fields?: { Name?: string; Message?: string }[];
  $fault?: "client" | "server";
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number };
}

/**
 * Maps an SDK error to a typed SendResult: throttling is retryable, server faults and network
 * errors are retryable failures, anything the caller sent wrong is a permanent failure.
 */
export function sendResultOfAwsError(error: unknown): SendResult {
  const e = (error ?? {}) as AwsSdkError;
  const reason = [e.name, e.Reason, e.message].filter(Boolean).join(": ") || "unknown error";
  const status = e.$metadata?.httpStatusCode;
  if (
    e.name === "ThrottlingException" ||
    e.name === "TooManyRequestsException" ||
    e.$retryable?.throttling ||
    status === 429
  ) {
    return { status: "throttled", reason };
  }
  if (e.$fault === "server" || (status !== undefined && status >= 500) || status === undefined) {
    return { status: "failed", reason, retryable: true };
  }
  return { status: "failed", reason, retryable: false };
}

function sendResultOfEumError(error: unknown): SendResult {
  const e = (error ?? {}) as AwsSdkError;
  const reason = [e.name, e.Reason, e.message].filter(Boolean).join(": ");
  if (e.Reason === "DESTINATION_PHONE_NUMBER_OPTED_OUT") return { status: "opted_out", reason };
  const aboutDestination = e.Fields?.some((field) => field.Name === "DestinationPhoneNumber");
  if (e.name === "ValidationException" && aboutDestination) return { status: "invalid_number", reason };
  return sendResultOfAwsError(error);
}

/** The usual SMS sender on AWS: End User Messaging SMS v2 `SendTextMessage`. */
export class EumSmsSender implements SmsSender {
  constructor(
    private readonly client: PinpointSMSVoiceV2Client,
    private readonly config: EumSenderConfig,
  ) {}

  inputOf(request: SendRequest): SendTextMessageCommandInput {
    const maxPrice = request.maxPriceUsd ?? this.config.maxPriceUsd;
    const ttl = request.ttlSeconds ?? this.config.ttlSeconds;
    return {
      DestinationPhoneNumber: request.to,
      OriginationIdentity: request.from ?? this.config.originationIdentity,
      MessageBody: request.body,
      MessageType: request.messageType === "transactional" ? "TRANSACTIONAL" : "PROMOTIONAL",
      ...(this.config.configurationSetName ? { ConfigurationSetName: this.config.configurationSetName } : {}),
      ...(maxPrice !== undefined ? { MaxPrice: maxPrice.toFixed(5) } : {}),
      ...(ttl !== undefined ? { TimeToLive: ttl } : {}),
      Context: sendContextOf(request),
    };
  }

  async send(request: SendRequest): Promise<SendResult> {
    try {
      const output = await this.client.send(new SendTextMessageCommand(this.inputOf(request)));
      if (!output.MessageId)
        return { status: "failed", reason: "SendTextMessage returned no MessageId", retryable: true };
      return { status: "sent", messageId: output.MessageId };
    } catch (error) {
      return sendResultOfEumError(error);
    }
  }
}
