import type { Tracer } from "@aws-lambda-powertools/tracer";
import type { SmsSender } from "../../../core/ports";
import { type ResponsesEnv, SettingsError } from "./settings";

/**
 * The SMS sender the responses function answers HELP/STOP with. Injection point for the End User
 * Messaging sender (./eum-sender, written separately): until it is wired here, building the
 * Lambda entry point fails with this message; tests and `npm start` inject their own sender.
 */
export const smsSenderFor = (_env: ResponsesEnv, _tracer?: Tracer): SmsSender => {
  throw new SettingsError("no SMS sender is wired into providers/aws/runtime/sms-sender.ts yet");
};
