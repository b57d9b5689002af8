import type { TokenCredential } from "@azure/identity";
import type { SendResult, SmsSender } from "../../../core/ports";
import { AcsSmsSender } from "./acs-sender";
import { smsClientOf } from "./clients";

/** Without a configured number nothing can be sent: every send fails, not retryable, with the reason. */
export class NoSenderNumber implements SmsSender {
  async send(): Promise<SendResult> {
    return {
      status: "failed",
      reason:
        "no SMS sender number configured (stack config smsSenderNumber / app setting SMS_SENDER_NUMBER)",
      retryable: false,
    };
  }
}

/** Communication Services when a sender number is configured, else NoSenderNumber. */
export const smsSenderFor = (
  endpoint: string,
  senderNumber: string | undefined,
  credential: () => TokenCredential,
): SmsSender =>
  senderNumber
    ? new AcsSmsSender(smsClientOf(endpoint, credential), { from: senderNumber })
    : new NoSenderNumber();
