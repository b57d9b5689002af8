/**
 * The GCP stack's two campaign functions through their real entry points, served by the
 * Functions Framework: the enrollment function gets the audience bucket's OBJECT_FINALIZE
 * notification (a Pub/Sub push, as the stack's notification on the enrollment topic delivers it),
 * then its own hand-on messages; the ticker gets Cloud Scheduler's POST. Only the triggers are
 * simulated: the hand-on message the function publishes is handed straight back to the run.
 */

import { randomUUID } from "node:crypto";
import type { Journey } from "../../../core/campaign/journey";
import type { CampaignTickerPorts, TickerSettings } from "../../../core/campaign/ticker";
import type { DeadLetter } from "../../../core/ports";
import type { RevocationMonitor } from "../../../core/processing/revocation-sla";
import { createEnrollmentHandler } from "../../gcp/handlers/enrollment";
import { type AudienceChunk, chunkMessageOf } from "../../gcp/handlers/enrollment-events";
import { createTicker, createTickerHttpHandler } from "../../gcp/handlers/ticker";
import { FUNCTION_TARGETS } from "../../gcp/infra/environment";
import type { GcsAudienceSource } from "../../gcp/runtime/audience-source";
import type { CampaignFunctions } from "../run/campaign-functions";
import { type PushRequestBody, pushTo, type ServedFunction, serveFunction } from "./gcp-function-server";

export interface GcpCampaignFunctionsDeps {
  ports: CampaignTickerPorts & { deadLetter: DeadLetter };
  audience: GcsAudienceSource;
  /** projects/<p>/topics/<enrollment topic> */
  enrollmentTopicId: string;
  settings: TickerSettings;
  chunkRows: number;
  codeJourneys: Journey[];
  /** Judges the opt-outs whose SLA window has passed after every tick (run/revocation-run.ts). */
  revocationMonitor?: RevocationMonitor;
  /** Let the functions write their JSON log lines, as deployed; default quiet. */
  functionLogs?: boolean;
}

/** A Cloud Storage notification (JSON_API_V1) of a finalized object, as Pub/Sub pushes it. */
export const storageNotificationOf = (
  bucket: string,
  name: string,
  subscription: string,
): PushRequestBody => ({
  message: {
    data: Buffer.from(JSON.stringify({ kind: "storage#object", bucket, name })).toString("base64"),
    attributes: {
      eventType: "OBJECT_FINALIZE",
      payloadFormat: "JSON_API_V1",
      bucketId: bucket,
      objectId: name,
    },
    messageId: randomUUID(),
    publishTime: new Date().toISOString(),
  },
  subscription,
});

const chunkPushOf = (chunk: AudienceChunk, subscription: string): PushRequestBody => {
  const { data, attributes } = chunkMessageOf(chunk);
  return {
    message: {
      data: data.toString("base64"),
      attributes,
      messageId: randomUUID(),
      publishTime: new Date().toISOString(),
    },
    subscription,
  };
};

export interface ServedCampaignFunctions extends CampaignFunctions {
  close(): Promise<void>;
}

export async function gcpCampaignFunctions(deps: GcpCampaignFunctionsDeps): Promise<ServedCampaignFunctions> {
  const handedOn: { chunk?: AudienceChunk } = {};
  // undefined: the handler's own default, a JSON line per entry as deployed.
  const log = deps.functionLogs ? undefined : () => {};
  const enrollment = await serveFunction(FUNCTION_TARGETS.enrollment, {
    kind: "cloudEvent",
    handler: createEnrollmentHandler({
      ports: deps.ports,
      audience: deps.audience,
      nextChunks: {
        publishMessage: async (message) => {
          handedOn.chunk = JSON.parse(message.data.toString("utf8")) as AudienceChunk;
          return randomUUID();
        },
      },
      chunkRows: deps.chunkRows,
      ...(log ? { log } : {}),
    }),
  });
  const ticker: ServedFunction = await serveFunction(FUNCTION_TARGETS.ticker, {
    kind: "http",
    handler: createTickerHttpHandler(
      createTicker({
        ports: deps.ports,
        settings: deps.settings,
        definitions: deps.codeJourneys,
        ...(deps.revocationMonitor ? { revocationMonitor: deps.revocationMonitor } : {}),
        ...(log ? { log } : {}),
      }),
      log,
    ),
  });
  const subscription = deps.enrollmentTopicId.replace("/topics/", "/subscriptions/");
  const bucket = deps.audience.bucketName;
  return {
    async enroll(audienceKey, fromLine) {
      handedOn.chunk = undefined;
      const body =
        fromLine === undefined
          ? storageNotificationOf(bucket, audienceKey, subscription)
          : chunkPushOf({ bucket, name: audienceKey, fromLine }, subscription);
      const status = await pushTo(enrollment, deps.enrollmentTopicId, body);
      if (status < 200 || status >= 300) throw new Error(`the enrollment function answered HTTP ${status}`);
      const nextLine = (handedOn.chunk as AudienceChunk | undefined)?.fromLine;
      return nextLine === undefined ? {} : { nextLine };
    },
    async tick() {
      const response = await fetch(ticker.url, { method: "POST" });
      if (!response.ok)
        throw new Error(`the ticker answered HTTP ${response.status}: ${await response.text()}`);
      return response.json();
    },
    close: async () => {
      await Promise.all([enrollment.close(), ticker.close()]);
    },
  };
}
