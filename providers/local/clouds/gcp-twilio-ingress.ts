/**
 * The simulated carrier's payloads into the GCP stack: each receipt and reply is POSTed as Twilio
 * posts it, form-encoded and signed with `X-Twilio-Signature` (HMAC-SHA1 of the URL and the sorted
 * parameters with the account's auth token, computed by Twilio's own library), to the webhook
 * function, which verifies it and publishes it to the events topic. A garbled payload cannot pass a
 * signed webhook intact, so poison takes the path of a misbehaving publisher: its bytes go straight
 * onto the events topic.
 */
import twilio from "twilio";
import { SIGNATURE_HEADER } from "../../gcp/handlers/twilio-webhook";
import type { CarrierEmission } from "../carrier/carrier";
import type { RecordedTopic } from "./gcp-recorded-topic";

export interface TwilioIngressDeps {
  /** The URL Twilio posts to (and signs). */
  webhookUrl: string;
  authToken: string;
  topic: RecordedTopic;
  /** Requests in flight at once. */
  concurrency?: number;
}

/** The X-Twilio-Signature of a form body posted to `url`. */
export const twilioSignatureOf = (authToken: string, url: string, body: string): string =>
  twilio.getExpectedTwilioSignature(authToken, url, Object.fromEntries(new URLSearchParams(body)));

/** Attempts per webhook: the function answers 500 when it cannot publish, and the post is retried. */
const POST_ATTEMPTS = 3;

export class TwilioIngress {
  rejected = 0;

  constructor(private readonly deps: TwilioIngressDeps) {}

  async ingest(emissions: CarrierEmission[]): Promise<void> {
    const queue = [...emissions];
    const worker = async () => {
      for (let emission = queue.shift(); emission; emission = queue.shift()) await this.deliver(emission);
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.concurrency ?? 16, queue.length) }, worker));
  }

  private async deliver(emission: CarrierEmission): Promise<void> {
    const { topic } = this.deps;
    if (emission.kind === "poison") {
      await topic
        .publishMessage({ data: Buffer.from(emission.data), orderingKey: emission.partitionKey })
        .catch(() => undefined);
      return;
    }
    const body = new TextDecoder().decode(emission.data);
    const signature = twilioSignatureOf(this.deps.authToken, this.deps.webhookUrl, body);
    for (let attempt = 1; attempt <= POST_ATTEMPTS; attempt++) {
      topic.expect(emission.data, emission.at);
      const response = await fetch(this.deps.webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", [SIGNATURE_HEADER]: signature },
        body,
      });
      await response.arrayBuffer();
      if (response.ok) return;
      if (response.status < 500) {
        this.rejected++;
        throw new Error(`the webhook refused a signed Twilio payload: HTTP ${response.status}`);
      }
    }
  }
}
