import {
  type PinpointClient,
  SendMessagesCommand,
  type SendMessagesCommandInput,
} from "@aws-sdk/client-pinpoint";
import type { SendRequest, SendResult, SmsSender } from "../../../core/ports";
import { sendContextOf, sendResultOfAwsError } from "./eum-sender";

export interface PinpointSenderConfig {
  /** The Pinpoint project (application) id. */
  applicationId: string;
  /** Long code, toll-free or short code to send from; a request's `from` overrides it. */
  originationNumber?: string;
  senderId?: string;
  /** The registered keyword, where the origination number requires one. */
  keyword?: string;
}

/**
 * The legacy sender for accounts that still send through Amazon Pinpoint `SendMessages` (its SMS
 * APIs outlived Pinpoint's campaigns). The per-address result carries the verdict, not an error.
 */
export class PinpointSmsSender implements SmsSender {
  constructor(
    private readonly client: PinpointClient,
    private readonly config: PinpointSenderConfig,
  ) {}

  inputOf(request: SendRequest): SendMessagesCommandInput {
    const originationNumber = request.from ?? this.config.originationNumber;
    return {
      ApplicationId: this.config.applicationId,
      MessageRequest: {
        Addresses: { [request.to]: { ChannelType: "SMS" } },
        Context: sendContextOf(request),
        TraceId: request.idempotencyKey,
        MessageConfiguration: {
          SMSMessage: {
            Body: request.body,
            MessageType: request.messageType === "transactional" ? "TRANSACTIONAL" : "PROMOTIONAL",
            ...(originationNumber ? { OriginationNumber: originationNumber } : {}),
            ...(this.config.senderId ? { SenderId: this.config.senderId } : {}),
            ...(this.config.keyword ? { Keyword: this.config.keyword } : {}),
          },
        },
      },
    };
  }

  async send(request: SendRequest): Promise<SendResult> {
    try {
      const output = await this.client.send(new SendMessagesCommand(this.inputOf(request)));
      const result = output.MessageResponse?.Result?.[request.to];
      if (!result)
        return {
          status: "failed",
          reason: "SendMessages returned no result for the address",
          retryable: true,
        };
      const reason = `${result.DeliveryStatus} (${result.StatusCode}): ${result.StatusMessage ?? ""}`.trim();
      switch (result.DeliveryStatus) {
        case "SUCCESSFUL":
          return result.MessageId
            ? { status: "sent", messageId: result.MessageId }
            : { status: "failed", reason: "SUCCESSFUL without a MessageId", retryable: true };
        case "THROTTLED":
          return { status: "throttled", reason };
        case "OPT_OUT":
          return { status: "opted_out", reason };
        case "TEMPORARY_FAILURE":
        case "UNKNOWN_FAILURE":
          return { status: "failed", reason, retryable: true };
        case "PERMANENT_FAILURE":
          // Pinpoint reports an unusable number as a permanent failure with HTTP 400.
          return result.StatusCode === 400 && /phone|number|address/i.test(result.StatusMessage ?? "")
            ? { status: "invalid_number", reason }
            : { status: "failed", reason, retryable: false };
        default:
          return { status: "failed", reason, retryable: false };
      }
    } catch (error) {
      return sendResultOfAwsError(error);
    }
  }
}
