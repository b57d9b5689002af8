import type { CloudEvent } from "@google-cloud/functions-framework";
import { AudienceError, readAudienceCsv } from "../../../core/campaign/audience";
import { campaignIdOfKey, journeyOfCampaign } from "../../../core/campaign/campaign";
import { type CampaignEnrollment, enrollCampaignChunk } from "../../../core/campaign/enrollment";
import { createTickerEngine, type TickerPorts } from "../../../core/campaign/ticker";
import type { CampaignStore, DeadLetter, SmsSender } from "../../../core/ports";
import type { GcsAudienceSource } from "../runtime/audience-source";
import type { PublishingTopic } from "../runtime/pubsub-topic";
import { type AudienceChunk, chunkMessageOf, enrollmentTriggerOf } from "./enrollment-events";
import { redactedLog, type StructuredLog } from "./structured-log";

export interface EnrollmentHandlerDeps {
  /** The stores enrollment writes; the sending ports are present for the engine but never used. */
  ports: Omit<TickerPorts, "sender"> & { campaigns: CampaignStore; deadLetter: DeadLetter };
  audience: Pick<GcsAudienceSource, "bucketName" | "open">;
  /** The enrollment topic: the next chunk is handed on through it. */
  nextChunks: PublishingTopic;
  /** Rows one invocation enrolls before handing the rest on. */
  chunkRows: number;
  /** Where log entries go, already redacted; default a JSON line for Cloud Logging. */
  log?: StructuredLog;
}

export type EnrollmentOutcome =
  | ({ campaignId: string } & CampaignEnrollment)
  | { kind: "ignored"; reason: string }
  | { kind: "dead-lettered"; reason: string };

/** Enrollment defers every first send to the ticker (inside the MPS); the engine is never let send. */
const SENDS_DEFERRED: SmsSender = {
  send: async () => ({ status: "failed", reason: "the enrollment function never sends", retryable: false }),
};

/**
 * The enrollment function: an audience upload (storage notification or finalized event) or a
 * hand-on message starts one chunk of `chunkRows` rows, enrolled idempotently with deferred sends
 * (core's enrollCampaignChunk); when rows remain, the next chunk goes on the enrollment topic, so
 * no invocation runs long and each chunk has its own bounded retries and dead letter. An upload
 * without a campaign record, an unreadable event or a CSV without its required columns goes to
 * the dead letter with the reason and is acknowledged; any other failure throws, so Pub/Sub
 * retries the chunk (which then enrolls nobody twice).
 */
export const createEnrollmentHandler = (deps: EnrollmentHandlerDeps) => {
  const log = redactedLog(deps.log);
  const { ports } = deps;

  const deadLetter = async (event: CloudEvent<unknown>, reason: string, where: string) => {
    await ports.deadLetter.send({
      raw: new TextEncoder().encode(JSON.stringify(event)),
      reason,
      source: `enrollment:${where}`,
      receivedAt: ports.clock.now().toISOString(),
    });
    log({ severity: "WARNING", message: "enrollment dead-lettered", reason, where });
    return { kind: "dead-lettered" as const, reason };
  };

  const enroll = async (chunk: AudienceChunk, campaignId: string) => {
    const record = await ports.campaigns.get(campaignId);
    if (!record) return undefined;
    const engine = createTickerEngine(
      [journeyOfCampaign(record)],
      { ...ports, sender: SENDS_DEFERRED },
      { mps: 1, intervalSeconds: 60 },
      "twilio",
    );
    return enrollCampaignChunk(
      readAudienceCsv(deps.audience.open(chunk.name, chunk.generation)),
      {
        campaignId,
        maxRows: deps.chunkRows,
        ...(chunk.fromLine === undefined ? {} : { fromLine: chunk.fromLine }),
      },
      { ...ports, engine, now: () => ports.clock.now() },
    );
  };

  return async (event: CloudEvent<unknown>): Promise<EnrollmentOutcome> => {
    const trigger = enrollmentTriggerOf(event);
    if (trigger.kind === "ignored") return trigger;
    if (trigger.kind === "invalid") return deadLetter(event, trigger.reason, event.id ?? "unknown");
    const { chunk } = trigger;
    const where = `gs://${chunk.bucket}/${chunk.name}`;
    if (chunk.bucket !== deps.audience.bucketName) {
      return deadLetter(event, `${where} is not in this stack's audience bucket`, where);
    }
    const campaignId = campaignIdOfKey(chunk.name);
    if (!campaignId) return { kind: "ignored", reason: `${chunk.name} is not a campaign audience` };
    let outcome: CampaignEnrollment | undefined;
    try {
      outcome = await enroll(chunk, campaignId);
    } catch (error) {
      if (error instanceof AudienceError) return deadLetter(event, `${where}: ${error.message}`, where);
      throw error;
    }
    if (!outcome) {
      return deadLetter(
        event,
        `no campaign record for ${campaignId}: launch it with smsctl campaign launch, then upload`,
        where,
      );
    }
    if (outcome.kind === "enrolled" && outcome.nextLine !== undefined) {
      await deps.nextChunks.publishMessage(chunkMessageOf({ ...chunk, fromLine: outcome.nextLine }));
    }
    log({ severity: "INFO", message: "enrollment chunk", campaignId, where, ...outcome });
    return { campaignId, ...outcome };
  };
};
