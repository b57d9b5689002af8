/**
 * The seam between the local run and the two functions the AWS stack deploys for launched
 * campaigns: the real enrollment Lambda handler (an S3 ObjectCreated event for the upload, then one
 * SQS chunk message per hand-off) and the real ticker Lambda handler (one scheduled invocation).
 * Only the triggers are simulated: the chunk queue hands its message straight back to the run.
 */

import { Readable } from "node:stream";
import type { S3Event, SQSEvent } from "aws-lambda";
import type { Journey } from "../../../core/campaign/journey";
import type { CampaignTickerPorts, TickerSettings } from "../../../core/campaign/ticker";
import type { ArchiveStore, DeadLetter } from "../../../core/ports";
import type { RevocationMonitor } from "../../../core/processing/revocation-sla";
import { createEnrollmentHandler } from "../../aws/handlers/enrollment";
import { createTickerHandler } from "../../aws/handlers/ticker";
import type { EnrollmentChunkRequest } from "../../aws/runtime/enrollment-chunks";
import type { CampaignFunctions } from "../run/campaign-functions";
import { quietObservability } from "./aws-consumers";

export interface AwsCampaignFunctionsDeps {
  ports: CampaignTickerPorts & { deadLetter: DeadLetter };
  /** The stack's storage the audience was uploaded to, and its bucket name for the S3 event. */
  storage: Pick<ArchiveStore, "get">;
  bucket: string;
  settings: TickerSettings;
  /** Rows per enrollment invocation (ENROLLMENT_CHUNK_ROWS). */
  chunkRows: number;
  /** The code's own journeys (journeys/index.ts), ticked alongside the launched campaigns. */
  codeJourneys: Journey[];
  /** Judges the opt-outs whose SLA window has passed after every tick (run/revocation-run.ts). */
  revocationMonitor?: RevocationMonitor;
  /** Print the functions' Powertools logs (see quietObservability). */
  functionLogs?: boolean;
}

const s3EventOf = (bucket: string, key: string): S3Event =>
  ({
    Records: [
      {
        eventSource: "aws:s3",
        eventName: "ObjectCreated:Put",
        s3: { bucket: { name: bucket }, object: { key: encodeURIComponent(key).replace(/%2F/g, "/") } },
      },
    ],
  }) as unknown as S3Event;

const sqsEventOf = (chunk: EnrollmentChunkRequest): SQSEvent =>
  ({
    Records: [{ eventSource: "aws:sqs", messageId: `chunk-${chunk.fromLine}`, body: JSON.stringify(chunk) }],
  }) as unknown as SQSEvent;

export function awsCampaignFunctions(deps: AwsCampaignFunctionsDeps): CampaignFunctions {
  const handOff: { chunk?: EnrollmentChunkRequest } = {};
  const enrollment = createEnrollmentHandler({
    ports: deps.ports,
    openAudience: async (_bucket, key) => {
      const body = await deps.storage.get(key);
      if (!body) throw new Error(`no audience uploaded at ${key}`);
      return Readable.from([Buffer.from(body)]);
    },
    queue: {
      enqueue: async (chunk) => {
        handOff.chunk = chunk;
      },
    },
    maxRows: deps.chunkRows,
    observability: quietObservability("enrollment", deps.functionLogs),
  });
  const ticker = createTickerHandler({
    ports: deps.ports,
    settings: deps.settings,
    definitions: deps.codeJourneys,
    ...(deps.revocationMonitor ? { revocationMonitor: deps.revocationMonitor } : {}),
    ...(deps.functionLogs ? { observability: quietObservability("ticker", true) } : {}),
  });
  return {
    async enroll(audienceKey, fromLine) {
      handOff.chunk = undefined;
      await enrollment(
        fromLine === undefined
          ? s3EventOf(deps.bucket, audienceKey)
          : sqsEventOf({ bucket: deps.bucket, key: audienceKey, fromLine }),
      );
      const nextLine = (handOff.chunk as EnrollmentChunkRequest | undefined)?.fromLine;
      return nextLine === undefined ? {} : { nextLine };
    },
    tick: () => ticker(),
  };
}
