import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Context, S3Event, SQSEvent } from "aws-lambda";
import { readAudienceCsv } from "../../../core/campaign/audience";
import { campaignIdOfKey, journeyOfCampaign } from "../../../core/campaign/campaign";
import { type CampaignEnrollment, enrollCampaignChunk } from "../../../core/campaign/enrollment";
import { type CampaignTickerPorts, createTickerEngine } from "../../../core/campaign/ticker";
import type { CampaignRecord, DeadLetter } from "../../../core/ports";
import { withRedactedErrors } from "../../../core/redact";
import { campaignPortsOf } from "../runtime/campaign-ports";
import { clientConfigOf } from "../runtime/client-config";
import {
  type AudienceOpener,
  type ChunkQueue,
  type EnrollmentChunkRequest,
  EnrollmentChunkSchema,
  SqsChunkQueue,
  s3AudienceOpener,
} from "../runtime/enrollment-chunks";
import { clientOptionsOf, ENROLLMENT_ENV, EnrollmentEnvSchema, parseEnv } from "../runtime/settings";
import { createObservability, type Observability, observabilityFromEnv } from "./observability";

export type EnrollmentEvent = S3Event | SQSEvent;
export type EnrollmentHandler = (event: EnrollmentEvent, context?: Context) => Promise<void>;

export interface EnrollmentHandlerDeps {
  ports: CampaignTickerPorts & { deadLetter: DeadLetter };
  openAudience: AudienceOpener;
  queue: ChunkQueue;
  /** Rows one invocation enrolls before handing the rest on, so it stays well inside its timeout. */
  maxRows: number;
  observability?: Observability;
}

/** S3 URL-encodes event keys, spaces as "+". */
const decodeS3Key = (key: string) => decodeURIComponent(key.replace(/\+/g, " "));

const isSqsEvent = (event: EnrollmentEvent): event is SQSEvent =>
  event.Records.every((record) => "eventSource" in record && record.eventSource === "aws:sqs");

/**
 * The chunks an invocation carries: an S3 upload starts at the top of its object, a queue
 * message continues where the previous chunk stopped. A message that is not a chunk throws, so
 * SQS redrives it to the dead-letter queue after its bounded receives.
 */
export function chunksOf(event: EnrollmentEvent): EnrollmentChunkRequest[] {
  if (isSqsEvent(event)) {
    return event.Records.map((record) => {
      const parsed = EnrollmentChunkSchema.safeParse(JSON.parse(record.body));
      if (!parsed.success) throw new Error(`message ${record.messageId} is not an enrollment chunk`);
      return parsed.data;
    });
  }
  return (event as S3Event).Records.map((record) => ({
    bucket: record.s3.bucket.name,
    key: decodeS3Key(record.s3.object.key),
  }));
}

const encoder = new TextEncoder();

/** An upload no campaign was launched for: dead-lettered with the reason, never retried. */
async function deadLetterOrphan(chunk: EnrollmentChunkRequest, deps: EnrollmentHandlerDeps): Promise<void> {
  await deps.ports.deadLetter.send({
    raw: encoder.encode(JSON.stringify(chunk)),
    reason: `no campaign record for ${chunk.key}: launch it with smsctl campaign launch, then upload`,
    source: `enrollment:${chunk.key}`,
    receivedAt: deps.ports.clock.now().toISOString(),
  });
}

async function enrollOne(
  record: CampaignRecord,
  chunk: EnrollmentChunkRequest,
  deps: EnrollmentHandlerDeps,
): Promise<CampaignEnrollment> {
  // Enrollment defers every send to the ticker, so the engine's pacer and budget are never used.
  const engine = createTickerEngine(
    [journeyOfCampaign(record)],
    deps.ports,
    { mps: 1, intervalSeconds: 60 },
    "aws-eum",
  );
  const body = await deps.openAudience(chunk.bucket, chunk.key);
  try {
    return await enrollCampaignChunk(
      readAudienceCsv(body),
      {
        campaignId: record.campaignId,
        maxRows: deps.maxRows,
        ...(chunk.fromLine === undefined ? {} : { fromLine: chunk.fromLine }),
      },
      { ...deps.ports, engine, now: () => deps.ports.clock.now() },
    );
  } finally {
    // A chunk stops reading at its last row; release the rest of the download.
    body.destroy();
  }
}

/**
 * Enrolls an uploaded audience chunk by chunk: each invocation enrolls at most `maxRows` rows
 * (idempotently, sends deferred to the ticker) and hands the line it stopped at to the chunk queue,
 * which this same function consumes. Objects outside `campaigns/<id>/audience.csv` are ignored.
 */
export const createEnrollmentHandler = (deps: EnrollmentHandlerDeps): EnrollmentHandler => {
  const { logger } = deps.observability ?? createObservability("enrollment");
  return async (event, context) => {
    if (context) logger.addContext(context);
    for (const chunk of chunksOf(event)) {
      const campaignId = campaignIdOfKey(chunk.key);
      if (!campaignId) {
        logger.info("not an audience upload; ignored", { key: chunk.key });
        continue;
      }
      const record = await deps.ports.campaigns.get(campaignId);
      if (!record) {
        await deadLetterOrphan(chunk, deps);
        logger.warn("audience without a campaign record; dead-lettered", { key: chunk.key });
        continue;
      }
      const outcome = await enrollOne(record, chunk, deps);
      logger.info("enrollment chunk", { campaignId, fromLine: chunk.fromLine ?? 1, ...outcome });
      if (outcome.kind === "enrolled" && outcome.nextLine !== undefined) {
        await deps.queue.enqueue({ bucket: chunk.bucket, key: chunk.key, fromLine: outcome.nextLine });
      }
    }
  };
};

let built: EnrollmentHandler | undefined;

/** Lambda entry point (S3 ObjectCreated and the chunk queue); a bad environment fails naming the variable. */
export const handler: EnrollmentHandler = withRedactedErrors(async (event, context) => {
  if (!built) {
    const env = parseEnv(EnrollmentEnvSchema);
    const options = clientOptionsOf(env);
    built = createEnrollmentHandler({
      ports: campaignPortsOf(env),
      openAudience: s3AudienceOpener(new S3Client(clientConfigOf(options, "s3"))),
      queue: new SqsChunkQueue(
        new SQSClient(clientConfigOf(options, "sqs")),
        env[ENROLLMENT_ENV.chunkQueueUrl],
      ),
      maxRows: env[ENROLLMENT_ENV.chunkRows],
      observability: observabilityFromEnv("enrollment", env),
    });
  }
  await built(event, context);
});
