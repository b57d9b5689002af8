/**
 * The replay mark on every cloud: records `smsctl replay` publishes back from the archive are
 * reprocessed by the responses consumer and skipped by the archive (their source) and analytics
 * (counted on their first pass). Each cloud's three handlers run on the in-memory ports, here on a
 * day that was never processed (as after a consumer bug dead-lettered it): the replies must be
 * processed, and the archive and metrics stay as they were. The same records unmarked are the
 * control: they do reach the archive and the metrics.
 */
import { describe, expect, it } from "vitest";
import { encodeEvent, encodeReplayedEvent } from "../../../core/events/decode";
import type { SmsEvent } from "../../../core/events/schema";
import { createAnalyticsHandler as awsAnalytics } from "../../../providers/aws/handlers/analytics";
import { createArchiveHandler as awsArchive } from "../../../providers/aws/handlers/archive";
import { createResponsesHandler as awsResponses } from "../../../providers/aws/handlers/responses";
import { createAnalyticsHandler as azureAnalytics } from "../../../providers/azure/handlers/analytics";
import { createArchiveHandler as azureArchive } from "../../../providers/azure/handlers/archive";
import { createResponsesHandler as azureResponses } from "../../../providers/azure/handlers/responses";
import { createAnalyticsHandler as gcpAnalytics } from "../../../providers/gcp/handlers/analytics";
import { createArchiveHandler as gcpArchive } from "../../../providers/gcp/handlers/archive";
import { createResponsesHandler as gcpResponses } from "../../../providers/gcp/handlers/responses";
import { quietObservability } from "../../../providers/local/clouds/aws-consumers";
import { createMemoryPorts, type MemoryPorts } from "../../../providers/local/runtime/memory";
import { kinesisEvent, kinesisRecord, smsEvent } from "../aws/kinesis-events";
import { pubsubCloudEvent } from "../gcp/pubsub-events";

const SETTINGS = {
  helpText: "Acme: reply STOP to opt out.",
  stopConfirmationText: "You are unsubscribed.",
  patterns: [{ name: "interested", type: "keyword" as const, keyword: "YES" }],
};
const PHONE = "+14255550177";
const CAMPAIGN = "cmp-replayed";

/** A small day: a send, its receipt, and the STOP reply to it. */
const day = (): SmsEvent[] => {
  const sent = {
    campaignId: CAMPAIGN,
    messageId: "msg-replayed-1",
    subscriberId: "sub-7",
    phoneNumber: PHONE,
  };
  return [
    smsEvent({ kind: "sent", occurredAt: "2031-05-06T09:00:00.000Z", ...sent }),
    smsEvent({ kind: "delivered", occurredAt: "2031-05-06T09:00:05.000Z", ...sent }),
    smsEvent({ kind: "received", occurredAt: "2031-05-06T10:00:00.000Z", phoneNumber: PHONE, body: "STOP" }),
  ];
};

type Deliver = (ports: MemoryPorts, records: Uint8Array[]) => Promise<void>;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Each cloud: its three handlers, fed the records the way its trigger delivers them. */
const CLOUDS: Record<string, Deliver> = {
  aws: async (ports, records) => {
    const deps = (name: string) => ({ ports, observability: quietObservability(`replay-${name}`) });
    for (const handler of [
      awsAnalytics(deps("analytics")),
      awsResponses({ ...deps("responses"), settings: SETTINGS }),
      awsArchive(deps("archive")),
    ]) {
      const response = await handler(kinesisEvent(records.map((r) => kinesisRecord(r))));
      expect(response.batchItemFailures).toEqual([]);
    }
  },
  azure: async (ports, records) => {
    const context = {
      triggerMetadata: {
        sequenceNumberArray: records.map((_, index) => 100 + index),
        enqueuedTimeUtcArray: records.map(() => "2031-05-06T10:00:01.000Z"),
        partitionContext: { PartitionId: "0", EventHubName: "sms-events-stream" },
      },
      log: () => {},
      warn: () => {},
      error: () => {},
    };
    const deps = { ports, maxAttempts: 1 };
    // The Functions host hands JSON bodies over parsed.
    const bodies = records.map((r) => JSON.parse(text(r)));
    for (const handler of [
      azureAnalytics(deps),
      azureResponses({ ...deps, settings: SETTINGS }),
      azureArchive(deps),
    ]) {
      const outcome = await handler(bodies, context as never);
      expect(outcome).toMatchObject({ deadLettered: 0, exhausted: 0 });
    }
  },
  gcp: async (ports, records) => {
    for (const handler of [
      gcpAnalytics({ ports }),
      gcpResponses({ ports, settings: SETTINGS }),
      gcpArchive({ ports }),
    ]) {
      for (const [index, record] of records.entries())
        await handler(pubsubCloudEvent(record, `message-${index}`));
    }
  },
};

/** What each consumer left behind: the responses consumer's stores, the archive, campaign metrics. */
async function effects(ports: MemoryPorts) {
  return {
    optedOut: await ports.optOuts.isOptedOut(PHONE),
    responses: (await ports.responses.byCampaign(CAMPAIGN)).length,
    archiveObjects: (await ports.archive.list("events/")).length,
    campaignDatums: ports.metrics.datums.filter((d) => d.dimensions["campaignId"] === CAMPAIGN).length,
    deadLetters: ports.deadLetter.entries.length,
  };
}

describe.each(Object.entries(CLOUDS))("replayed records on %s's consumers", (_cloud, deliver) => {
  it("are processed by responses and skipped by archive and analytics", async () => {
    const ports = createMemoryPorts({ now: "2031-05-06T10:00:02.000Z" });
    await deliver(ports, day().map(encodeReplayedEvent));
    expect(await effects(ports)).toEqual({
      optedOut: true,
      responses: 1,
      archiveObjects: 0,
      campaignDatums: 0,
      deadLetters: 0,
    });
  });

  it("unmarked, the same records reach the archive and the metrics (the control)", async () => {
    const ports = createMemoryPorts({ now: "2031-05-06T10:00:02.000Z" });
    await deliver(ports, day().map(encodeEvent));
    const seen = await effects(ports);
    expect(seen).toMatchObject({ optedOut: true, responses: 1, deadLetters: 0 });
    expect(seen.archiveObjects).toBeGreaterThan(0);
    expect(seen.campaignDatums).toBeGreaterThan(0);
  });
});
