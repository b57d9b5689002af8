import type { Request, Response } from "@google-cloud/functions-framework";
import twilio from "twilio";
import type { PublishingTopic } from "../runtime/pubsub-topic";
import { redactedLog, type StructuredLog } from "./structured-log";

export const SIGNATURE_HEADER = "x-twilio-signature";
/** An empty TwiML answer: the message is taken, and Twilio sends no automatic reply of its own. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export interface TwilioWebhookDeps {
  authToken: string;
  topic: PublishingTopic;
  /** The URL Twilio posts to, when the request cannot tell (a proxy or custom domain in front). */
  publicUrl?: string;
  /** Where log entries go, already redacted; default a JSON line for Cloud Logging. */
  log?: StructuredLog;
}

/** The URL Twilio signed: scheme and host as the client saw them, plus the path and query. */
export const requestUrlOf = (req: Request, publicUrl?: string): string => {
  if (publicUrl) return publicUrl;
  const forwarded = req.header("x-forwarded-proto")?.split(",")[0]?.trim();
  return `${forwarded || req.protocol}://${req.header("host")}${req.originalUrl}`;
};

/**
 * The ordering key, like core's partitionKeyOf: the subscriber's number, which is `From` on an
 * inbound message and `To` on a status callback of a message we sent.
 */
export const orderingKeyOf = (params: Record<string, unknown>): string => {
  const number = params["MessageStatus"] !== undefined ? params["To"] : params["From"];
  return typeof number === "string" && number ? number : "unknown";
};

/**
 * Twilio's webhook (inbound messages and status callbacks): verifies `X-Twilio-Signature` over the
 * URL and form parameters with the account's auth token, then publishes the raw form body, as
 * received, to the events topic (decoders read Twilio's form encoding). Unsigned or wrongly signed
 * requests get 403 and publish nothing.
 */
export const createTwilioWebhook = (deps: TwilioWebhookDeps) => {
  const log = redactedLog(deps.log);
  return async (req: Request, res: Response): Promise<void> => {
    if (req.method !== "POST") {
      res.status(405).set("Allow", "POST").send("POST only");
      return;
    }
    const signature = req.header(SIGNATURE_HEADER);
    const params = (typeof req.body === "object" && req.body !== null ? req.body : {}) as Record<
      string,
      unknown
    >;
    const url = requestUrlOf(req, deps.publicUrl);
    if (!signature || !req.rawBody || !twilio.validateRequest(deps.authToken, signature, url, params)) {
      log({
        severity: "WARNING",
        message: "rejected an unsigned or wrongly signed webhook",
        url,
        signed: !!signature,
      });
      res.status(403).send("invalid signature");
      return;
    }
    try {
      await deps.topic.publishMessage({ data: Buffer.from(req.rawBody), orderingKey: orderingKeyOf(params) });
    } catch (error) {
      deps.topic.resumePublishing?.(orderingKeyOf(params));
      log({
        severity: "ERROR",
        message: "publish failed",
        error: error instanceof Error ? error.message : String(error),
      });
      res.status(500).send("could not accept the webhook; please retry");
      return;
    }
    res.status(200).type("text/xml").send(EMPTY_TWIML);
  };
};
