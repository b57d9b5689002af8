import { z } from "zod";
import { readAudienceCsv } from "../../../core/campaign/audience";
import { campaignIdOfKey, journeyOfCampaign } from "../../../core/campaign/campaign";
import { type CampaignEnrollment, enrollCampaignChunk } from "../../../core/campaign/enrollment";
import {
  type CampaignTickerPorts,
  createTickerEngine,
  type TickerSettings,
} from "../../../core/campaign/ticker";
import type { DeadLetter, ErasureGuard } from "../../../core/ports";
import type { BlobAudienceStore } from "../runtime/audience-store";
import { campaignPortsOf, tickerSettingsOf } from "../runtime/campaign-ports";
import type { EnrollmentHandOff, ServiceBusEnrollmentQueue } from "../runtime/enrollment-queue";
import { CampaignsEnvSchema, ENV, parseEnv } from "../runtime/settings";
import { type HandlerLog, lazyHandler } from "./consumer-handler";
import { redactedLog } from "./redacted-log";

/** The Event Grid event of an upload, as the system topic delivers it into the enrollment queue. */
export const BLOB_CREATED = "Microsoft.Storage.BlobCreated";

const BlobCreatedSchema = z.object({ eventType: z.literal(BLOB_CREATED), subject: z.string() });
/** The same event in the CloudEvents schema, should the subscription be switched to it. */
const BlobCreatedCloudEventSchema = z.object({ type: z.literal(BLOB_CREATED), subject: z.string() });
const HandOffSchema = z.object({
  kind: z.literal("enrollment-chunk"),
  campaignId: z.string(),
  fromLine: z.number().int().positive(),
  upload: z.string().optional(),
});

/** One chunk to enroll: the campaign, the line it starts at, and the upload (etag) it reads. */
export interface ChunkRequest {
  campaignId: string;
  key: string;
  fromLine?: number;
  upload?: string;
}

const BLOB_SUBJECT = /^\/blobServices\/default\/containers\/[^/]+\/blobs\/(.+)$/;

/** A queue message as a chunk request, or why it is not one. */
export function chunkRequestOf(message: unknown): ChunkRequest | { invalid: string } {
  const body = bodyOf(message);
  const handOff = HandOffSchema.safeParse(body);
  if (handOff.success) {
    const { campaignId, fromLine, upload } = handOff.data;
    return {
      campaignId,
      key: `campaigns/${campaignId}/audience.csv`,
      fromLine,
      ...(upload ? { upload } : {}),
    };
  }
  const event = BlobCreatedSchema.safeParse(body);
  const cloudEvent = BlobCreatedCloudEventSchema.safeParse(body);
  const created = event.success ? event.data : cloudEvent.success ? cloudEvent.data : undefined;
  if (!created) return { invalid: "neither a BlobCreated event nor an enrollment hand-off" };
  const key = BLOB_SUBJECT.exec(created.subject)?.[1];
  const campaignId = key && campaignIdOfKey(key);
  if (!key || !campaignId) return { invalid: `not a campaign audience upload: ${created.subject}` };
  // The run pins itself to the etag of the blob it first reads (the download's, so If-Match gets it verbatim).
  return { campaignId, key };
}

/** The host hands over JSON bodies parsed; a string or bytes body is parsed here. */
function bodyOf(message: unknown): unknown {
  const text =
    typeof message === "string"
      ? message
      : message instanceof Uint8Array
        ? new TextDecoder().decode(message)
        : undefined;
  if (text === undefined) return Array.isArray(message) && message.length === 1 ? message[0] : message;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export type EnrollmentOutcome =
  | CampaignEnrollment
  | { kind: "dead-lettered"; reason: string }
  | { kind: "superseded" };

export interface EnrollmentHandlerDeps {
  /** The core ports (campaignPortsOf builds the Cosmos, Event Hubs and ACS adapters of them). */
  ports: CampaignTickerPorts & { deadLetter: DeadLetter; erasures?: ErasureGuard };
  audience: Pick<BlobAudienceStore, "open">;
  queue: Pick<ServiceBusEnrollmentQueue, "handOn">;
  settings: { chunkRows: number; ticker: TickerSettings };
}

const encoder = new TextEncoder();
const rawOf = (message: unknown) =>
  message instanceof Uint8Array ? message : encoder.encode(JSON.stringify(message) ?? String(message));

/**
 * One chunk of a launched campaign's audience per queue message. A BlobCreated event starts a run
 * at the top of the file; each chunk enrolls at most `chunkRows` rows (deferred sends: the ticker
 * sends) and hands the next line on through the queue. What cannot be enrolled at all (no campaign
 * record, no blob, not an audience) goes to the dead letter with the reason and completes; any
 * other failure throws, so Service Bus redelivers the message (bounded by the queue's max delivery
 * count, then its own dead-letter queue). A retried chunk enrolls nobody twice.
 */
export const createEnrollmentHandler = (deps: EnrollmentHandlerDeps) => {
  const { ports } = deps;
  const deadLetter = async (message: unknown, source: string, reason: string): Promise<EnrollmentOutcome> => {
    await deadLetterOf(ports.deadLetter, rawOf(message), source, reason, ports.clock.now());
    return { kind: "dead-lettered", reason };
  };
  return async (message: unknown, invocation: Pick<HandlerLog, "log">): Promise<EnrollmentOutcome> => {
    const context = redactedLog(invocation);
    const request = chunkRequestOf(message);
    if ("invalid" in request) return deadLetter(message, "enrollment", request.invalid);
    const source = `enrollment:${request.key}`;
    const record = await ports.campaigns.get(request.campaignId);
    if (!record) {
      return deadLetter(
        message,
        source,
        `no campaign record for ${request.campaignId}: launch it with smsctl campaign launch`,
      );
    }
    const blob = await deps.audience.open(request.key, request.upload);
    if (blob.kind === "missing") return deadLetter(message, source, `no audience blob at ${request.key}`);
    if (blob.kind === "superseded") {
      context.log("audience uploaded again; this run stops", { key: request.key });
      return { kind: "superseded" };
    }
    const engine = createTickerEngine([journeyOfCampaign(record)], ports, deps.settings.ticker, "azure-acs");
    try {
      const outcome = await enrollCampaignChunk(
        readAudienceCsv(blob.stream),
        {
          campaignId: record.campaignId,
          maxRows: deps.settings.chunkRows,
          ...(request.fromLine === undefined ? {} : { fromLine: request.fromLine }),
        },
        { ...ports, engine, now: () => ports.clock.now() },
      );
      if (outcome.kind === "enrolled" && outcome.nextLine !== undefined) {
        const upload = request.upload ?? blob.etag;
        const next: Omit<EnrollmentHandOff, "kind"> = {
          campaignId: record.campaignId,
          fromLine: outcome.nextLine,
          ...(upload ? { upload } : {}),
        };
        await deps.queue.handOn(next);
      }
      context.log("enrollment chunk", { campaignId: record.campaignId, ...outcome });
      return outcome;
    } finally {
      blob.stream.destroy();
    }
  };
};

const deadLetterOf = (deadLetter: DeadLetter, raw: Uint8Array, source: string, reason: string, at: Date) =>
  deadLetter.send({ raw, reason, source, receivedAt: at.toISOString() });

/** Functions entry: ports and settings from the app settings, built at first invocation. */
export const handler = lazyHandler(() => {
  const env = parseEnv(CampaignsEnvSchema);
  const { audience, enrollmentQueue, ...ports } = campaignPortsOf(env);
  return createEnrollmentHandler({
    ports,
    audience,
    queue: enrollmentQueue,
    settings: { chunkRows: env[ENV.enrollmentChunkRows], ticker: tickerSettingsOf(env) },
  });
});
