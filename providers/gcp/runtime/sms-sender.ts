import twilio from "twilio";
import type { SmsSender } from "../../../core/ports";
import { ENV, type ResponsesEnv } from "./settings";

/** The Twilio settings a sending function reads (responses answers, ticker steps). */
export type TwilioSenderEnv = Pick<
  ResponsesEnv,
  | typeof ENV.twilioAccountSid
  | typeof ENV.twilioAuthToken
  | typeof ENV.twilioMessagingServiceSid
  | typeof ENV.twilioStatusCallbackUrl
>;

import { TwilioSmsSender } from "./twilio-sender";

/** Answers that cannot go anywhere fail loudly per message instead of at start-up (analytics-only stacks). */
class UnconfiguredSender implements SmsSender {
  constructor(private readonly missing: string[]) {}

  async send() {
    return {
      status: "failed" as const,
      reason: `Twilio is not configured: set ${this.missing.join(", ")}`,
      retryable: false,
    };
  }
}

/** The Twilio sender from the function environment (account SID, auth token secret, messaging service). */
export const smsSenderFor = (env: TwilioSenderEnv): SmsSender => {
  const accountSid = env[ENV.twilioAccountSid];
  const authToken = env[ENV.twilioAuthToken];
  const messagingServiceSid = env[ENV.twilioMessagingServiceSid];
  if (!accountSid || !authToken || !messagingServiceSid) {
    const missing = [
      [ENV.twilioAccountSid, accountSid],
      [ENV.twilioAuthToken, authToken],
      [ENV.twilioMessagingServiceSid, messagingServiceSid],
    ]
      .filter(([, value]) => !value)
      .map(([name]) => name as string);
    return new UnconfiguredSender(missing);
  }
  return new TwilioSmsSender(twilio(accountSid, authToken), {
    messagingServiceSid,
    statusCallbackUrl: env[ENV.twilioStatusCallbackUrl] ?? "",
  });
};
