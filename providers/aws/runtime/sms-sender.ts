import type { Tracer } from "@aws-lambda-powertools/tracer";
import { PinpointSMSVoiceV2Client } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import type { SmsSender } from "../../../core/ports";
import { EumSmsSender } from "./eum-sender";
import { ENV, type ResponsesEnv } from "./settings";

/**
 * The SMS sender the responses function answers HELP and STOP with: End User Messaging
 * (pinpoint-sms-voice-v2). With no SMS_ORIGINATION_IDENTITY configured, answers go out from the
 * number the reply was sent to (core passes it as the request's `from`).
 */
export const smsSenderFor = (
  env: Pick<ResponsesEnv, "AWS_REGION" | typeof ENV.originationIdentity | typeof ENV.configurationSet>,
  tracer?: Tracer,
): SmsSender => {
  const client = new PinpointSMSVoiceV2Client(env.AWS_REGION ? { region: env.AWS_REGION } : {});
  return new EumSmsSender(tracer ? tracer.captureAWSv3Client(client) : client, {
    originationIdentity: env[ENV.originationIdentity] ?? "",
    ...(env[ENV.configurationSet] ? { configurationSetName: env[ENV.configurationSet] } : {}),
  });
};
