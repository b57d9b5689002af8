import { GetObjectCommand } from "@aws-sdk/client-s3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { newCampaignRecord } from "../../../core/campaign/campaign";
import { JourneyCatalog } from "../../../core/campaign/journey-catalog";
import type { ArchiveStore, SmsSender } from "../../../core/ports";
import { readArchiveObject } from "../../../core/processing/archive";
import { verifyChain } from "../../../core/processing/consent";
import { journeyDefinitions } from "../../../journeys";
import { welcomeSeries } from "../../../journeys/welcome-series";
import { createAnalyticsHandler } from "../../../providers/aws/handlers/analytics";
import { createArchiveHandler } from "../../../providers/aws/handlers/archive";
import { createObservability } from "../../../providers/aws/handlers/observability";
import { createResponsesHandler } from "../../../providers/aws/handlers/responses";
import { S3ArchiveStore } from "../../../providers/aws/runtime/archive-store";
import { DynamoDbCampaignStore } from "../../../providers/aws/runtime/campaign-store";
import { SystemClock } from "../../../providers/aws/runtime/clock";
import { DynamoDbConsentLog } from "../../../providers/aws/runtime/consent-log";
import { decodeDeadLetter, SqsDeadLetter } from "../../../providers/aws/runtime/dead-letter";
import { DynamoDbJourneyStore } from "../../../providers/aws/runtime/journey-store";
import { DynamoDbMessageLog } from "../../../providers/aws/runtime/message-log";
import { EmfMetricsSink } from "../../../providers/aws/runtime/metrics-sink";
import { SnsNotifier } from "../../../providers/aws/runtime/notifier";
import { DynamoDbOptOutStore } from "../../../providers/aws/runtime/opt-out-store";
import { DynamoDbPendingReceiptStore } from "../../../providers/aws/runtime/pending-receipts";
import { DynamoDbResponsesStore } from "../../../providers/aws/runtime/responses-store";
import { DynamoDbSubscriberDirectory } from "../../../providers/aws/runtime/subscriber-directory";
import { javaAvailable } from "../../../providers/local/emulators";
import {
  ensureBucket,
  ensureQueue,
  ensureTables,
  ensureTopic,
  subscribeQueue,
} from "../../../providers/local/emulators/provision";
import { FakeClock, MemoryMessageLog } from "../../../providers/local/runtime/memory";
import { once, uniqueName, useAwsEmulators } from "../../emulators/aws";
import { drainQueue, emfLinesOf, parseEmf } from "../../emulators/readers";
import { RecordingSender } from "../../support/recording-sender";
import {
  kinesisEvent,
  kinesisRecord,
  poisonBytes,
  replyEvent,
  sequenceOf,
  smsEvent,
} from "../../unit/aws/kinesis-events";

const hasJava = javaAvailable();
const fixture = useAwsEmulators({ kinesis: false, fauxqs: true, dynamodb: hasJava });
const clients = () => fixture.clients();
const quiet = (name: string) => createObservability(name, { logLevel: "SILENT" });

const resources = once(async () => {
  const c = clients();
  const tables = {
    responses: uniqueName("responses"),
    optOuts: uniqueName("opt-outs"),
    messages: uniqueName("messages"),
    journeys: uniqueName("journeys"),
    subscribers: uniqueName("subscribers"),
    campaigns: uniqueName("campaigns"),
    pendingReceipts: uniqueName("pending-receipts"),
    consentLog: uniqueName("consent-log"),
  };
  if (hasJava) await ensureTables(c.dynamodb, tables);
  const bucket = uniqueName("archive");
  await ensureBucket(c.s3, bucket);
  const dlq = await ensureQueue(c.sqs, uniqueName("dlq"));
  const topicArn = await ensureTopic(c.sns, uniqueName("notifications"));
  const notified = await ensureQueue(c.sqs, uniqueName("notified"));
  await subscribeQueue(c.sns, topicArn, notified.arn);
  return { tables, bucket, dlqUrl: dlq.url, topicArn, notifiedUrl: notified.url };
});

/** Answers every send, and throws for one number so a record can fail on purpose. */
const deadLetters = async () =>
  (await drainQueue(clients().sqs, (await resources()).dlqUrl)).map((m) => decodeDeadLetter(m.body));

describe.skipIf(!hasJava)("responses handler (DynamoDB Local, fauxqs)", () => {
  const build = async (sender: SmsSender) => {
    const r = await resources();
    const documents = clients().documents;
    const campaigns = new DynamoDbCampaignStore(documents, r.tables.campaigns);
    const ports = {
      clock: new SystemClock(),
      deadLetter: new SqsDeadLetter(clients().sqs, r.dlqUrl),
      responses: new DynamoDbResponsesStore(documents, r.tables.responses),
      optOuts: new DynamoDbOptOutStore(documents, r.tables.optOuts),
      consentLog: new DynamoDbConsentLog(documents, r.tables.consentLog),
      messages: new DynamoDbMessageLog(documents, r.tables.messages),
      notifier: new SnsNotifier(clients().sns, r.topicArn),
      sender,
      journeyRouting: {
        journeys: new DynamoDbJourneyStore(documents, r.tables.journeys),
        subscribers: new DynamoDbSubscriberDirectory(documents, r.tables.subscribers),
        definitions: new JourneyCatalog(journeyDefinitions, campaigns),
        campaigns,
      },
    };
    const handler = createResponsesHandler({
      ports,
      settings: {
        helpText: "Acme: reply STOP to opt out.",
        stopConfirmationText: "You are unsubscribed.",
        patterns: [{ name: "interested", type: "keyword", keyword: "YES" }],
      },
      observability: quiet("responses"),
    });
    return { handler, ports };
  };

  it("reports exactly the record whose processing failed: not the duplicate, not the poison record", async () => {
    const failingNumber = "+14255550199";
    const { handler } = await build(new RecordingSender({ failFor: failingNumber }));
    const yes = replyEvent("YES", { phoneNumber: "+14255550101", campaignId: uniqueName("cmp") });
    const records = [
      kinesisRecord(smsEvent({ kind: "sent", messageId: uniqueName("msg"), phoneNumber: "+14255550101" })),
      kinesisRecord(yes),
      kinesisRecord(yes),
      kinesisRecord(poisonBytes()),
      kinesisRecord(replyEvent("HELP", { phoneNumber: failingNumber })),
      kinesisRecord(replyEvent("STOP", { phoneNumber: "+14255550102" })),
    ];
    const response = await handler(kinesisEvent(records));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: sequenceOf(records[4]) }]);
  });

  it("sends the poison record to the dead letter with its raw bytes, its reason and its stream position", async () => {
    const { handler } = await build(new RecordingSender());
    await deadLetters();
    const poison = kinesisRecord(poisonBytes());
    const response = await handler(kinesisEvent([kinesisRecord(replyEvent("hello")), poison]));
    expect(response.batchItemFailures).toEqual([]);
    const entry = (await deadLetters()).find((e) => e.source.endsWith(`/${sequenceOf(poison)}`));
    expect(entry).toBeDefined();
    expect([...entry!.raw]).toEqual([...poisonBytes()]);
    expect(entry!.source).toBe(`responses:shardId-000000000000/${sequenceOf(poison)}`);
    expect(entry!.reason).toMatch(/UTF-8/);
  });

  it("moves journeys in DynamoDB: YES takes the branch for the ticker, STOP ends the journey, and nothing is sent for either step", async () => {
    const sender = new RecordingSender();
    const { handler, ports } = await build(sender);
    const waiting = (subscriberId: string, phoneNumber: string) => ({
      journeyId: "welcome-series",
      subscriberId,
      phoneNumber,
      stepId: "answer",
      status: "waiting" as const,
      wakeAt: "2099-01-01T00:00:00.000Z",
      version: 2,
      updatedAt: "2026-11-24T10:00:00.000Z",
    });
    const yesSub = { subscriberId: uniqueName("sub"), phoneNumber: "+14255550105", attributes: {} };
    const stopSub = { subscriberId: uniqueName("sub"), phoneNumber: "+14255550106", attributes: {} };
    const routing = ports.journeyRouting;
    for (const subscriber of [yesSub, stopSub]) {
      await ports.journeyRouting.subscribers.upsert(subscriber);
      expect(await routing.journeys.put(waiting(subscriber.subscriberId, subscriber.phoneNumber), 0)).toBe(
        true,
      );
    }
    const records = [
      kinesisRecord(replyEvent("yes", { phoneNumber: yesSub.phoneNumber })),
      kinesisRecord(replyEvent("STOP", { phoneNumber: stopSub.phoneNumber })),
    ];
    expect((await handler(kinesisEvent(records))).batchItemFailures).toEqual([]);
    expect(await routing.journeys.get("welcome-series", yesSub.subscriberId)).toMatchObject({
      stepId: "thank-you",
      status: "waiting",
      lastReply: "YES",
      version: 3,
    });
    expect(await routing.journeys.get("welcome-series", stopSub.subscriberId)).toMatchObject({
      status: "done",
      lastReply: "STOP",
    });
    // Only the STOP confirmation went out; the thank-you is the ticker's to send.
    expect(sender.requests.map((r) => r.to)).toEqual([stopSub.phoneNumber]);
  });

  it("keeps consent evidence in DynamoDB for a STOP, a START and a carrier opt-out, once each across a redelivered batch", async () => {
    const { handler, ports } = await build(new RecordingSender());
    const phone = "+14255550161";
    const stop = replyEvent("STOP", { phoneNumber: phone, occurredAt: "2026-11-24T10:00:00.000Z" });
    const start = replyEvent("START", { phoneNumber: phone, occurredAt: "2026-11-24T11:00:00.000Z" });
    const carrier = smsEvent({
      kind: "opted_out",
      phoneNumber: phone,
      occurredAt: "2026-11-24T12:00:00.000Z",
    });
    const batch = kinesisEvent([stop, start, carrier].map((event) => kinesisRecord(event)));
    expect((await handler(batch)).batchItemFailures).toEqual([]);
    expect((await handler(batch)).batchItemFailures).toEqual([]);
    const entries = await ports.consentLog.entriesFor(phone);
    expect(entries.map((e) => [e.sequence, e.action, e.source, e.eventId])).toEqual([
      [1, "opt_out", "reply_keyword", stop.eventId],
      [2, "opt_in", "reply_keyword", start.eventId],
      [3, "opt_out", "carrier_opt_out", carrier.eventId],
    ]);
    expect(verifyChain(entries)).toEqual({ ok: true, entries: 3 });
  });

  it("moves a launched campaign's journey on YES and counts the reply per branch in the campaign store", async () => {
    const { handler, ports } = await build(new RecordingSender());
    const routing = ports.journeyRouting;
    const campaignId = uniqueName("spring");
    const record = newCampaignRecord(campaignId, welcomeSeries, new Date("2026-11-24T09:00:00.000Z"));
    expect(await routing.campaigns.put(record, 0)).toBe(true);
    const subscriber = { subscriberId: uniqueName("sub"), phoneNumber: "+14255550107", attributes: {} };
    await routing.subscribers.upsert(subscriber);
    await routing.journeys.put(
      {
        journeyId: campaignId,
        subscriberId: subscriber.subscriberId,
        phoneNumber: subscriber.phoneNumber,
        stepId: "answer",
        status: "waiting",
        wakeAt: "2099-01-01T00:00:00.000Z",
        version: 2,
        updatedAt: "2026-11-24T10:00:00.000Z",
      },
      0,
    );

    const reply = kinesisRecord(replyEvent("Yes!", { phoneNumber: subscriber.phoneNumber }));
    expect((await handler(kinesisEvent([reply]))).batchItemFailures).toEqual([]);
    expect(await routing.journeys.get(campaignId, subscriber.subscriberId)).toMatchObject({
      stepId: "thank-you",
      status: "waiting",
      lastReply: "YES",
    });
    expect(await routing.campaigns.counts(campaignId)).toEqual({ "reply:YES": 1 });
  });

  it("changes no stored state and sends no second answer or notification when a batch is replayed", async () => {
    const sender = new RecordingSender();
    const { handler, ports } = await build(sender);
    const r = await resources();
    await drainQueue(clients().sqs, r.notifiedUrl);
    const stopNumber = "+14255550103";
    const yes = replyEvent("YES please", { phoneNumber: "+14255550104", campaignId: uniqueName("cmp") });
    const stop = replyEvent("STOP", { phoneNumber: stopNumber });
    const event = kinesisEvent([kinesisRecord(yes), kinesisRecord(stop)]);

    expect((await handler(event)).batchItemFailures).toEqual([]);
    const storedFirst = [await ports.responses.get(yes.eventId), await ports.responses.get(stop.eventId)];
    const answersFirst = sender.requests.length;
    const notificationsFirst = await drainQueue(clients().sqs, r.notifiedUrl);
    expect(storedFirst.every(Boolean)).toBe(true);
    expect(answersFirst).toBe(1);
    expect(notificationsFirst).toHaveLength(1);
    // What SNS delivered names the subscriber by the last four digits and the reply by its length.
    const delivered = JSON.stringify(notificationsFirst);
    expect(delivered).toContain("***0104");
    expect(delivered).not.toContain("4255550104");
    expect(delivered).not.toContain("YES please");

    expect((await handler(event)).batchItemFailures).toEqual([]);
    expect([await ports.responses.get(yes.eventId), await ports.responses.get(stop.eventId)]).toEqual(
      storedFirst,
    );
    expect(await ports.responses.byCampaign(yes.campaignId!)).toHaveLength(1);
    expect(await ports.optOuts.isOptedOut(stopNumber)).toBe(true);
    expect(sender.requests).toHaveLength(answersFirst);
    expect(await drainQueue(clients().sqs, r.notifiedUrl)).toEqual([]);
  });
});

if (!hasJava) {
  describe("responses handler", () => {
    it.skip("skipped: Java is not installed, and DynamoDB Local (the responses store's emulator) needs it", () => {});
  });
}

describe("archive handler (fauxqs S3)", () => {
  const build = async (archive?: ArchiveStore) => {
    const r = await resources();
    return createArchiveHandler({
      ports: {
        clock: new SystemClock(),
        deadLetter: new SqsDeadLetter(clients().sqs, r.dlqUrl),
        messages: new MemoryMessageLog(),
        archive: archive ?? new S3ArchiveStore(clients().s3, r.bucket),
      },
      observability: quiet("archive"),
    });
  };

  it("writes the batch's events as Parquet under a key that a replayed batch overwrites", async () => {
    const handler = await build();
    const r = await resources();
    const store = new S3ArchiveStore(clients().s3, r.bucket);
    const events = [
      smsEvent({ kind: "sent", occurredAt: "2031-02-03T04:05:06.000Z" }),
      replyEvent("YES", { occurredAt: "2031-02-03T04:06:00.000Z" }),
    ];
    const batch = kinesisEvent([...events.map((e) => kinesisRecord(e)), kinesisRecord(poisonBytes())]);

    expect((await handler(batch)).batchItemFailures).toEqual([]);
    const keys = await store.list("events/dt=2031-02-03/");
    expect(keys).toHaveLength(1);
    expect(await handler(batch)).toEqual({ batchItemFailures: [] });
    expect(await store.list("events/dt=2031-02-03/")).toEqual(keys);

    const object = await clients().s3.send(new GetObjectCommand({ Bucket: r.bucket, Key: keys[0] }));
    const rows = await readArchiveObject(await object.Body!.transformToByteArray());
    expect(rows.map((e) => e.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
  });

  it("fails every decodable record, and not the dead-lettered one, when the archive write fails", async () => {
    const failing: ArchiveStore = {
      put: async () => {
        throw new Error("S3 unavailable");
      },
      get: async () => undefined,
      list: async () => [],
    };
    const handler = await build(failing);
    const records = [
      kinesisRecord(smsEvent({ kind: "delivered" })),
      kinesisRecord(poisonBytes()),
      kinesisRecord(smsEvent({ kind: "sent" })),
    ];
    const response = await handler(kinesisEvent(records));
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: sequenceOf(records[0]) },
      { itemIdentifier: sequenceOf(records[2]) },
    ]);
  });

  it("throws, so Lambda retries or bisects the batch, when every record fails", async () => {
    const failing: ArchiveStore = {
      put: async () => {
        throw new Error("S3 unavailable");
      },
      get: async () => undefined,
      list: async () => [],
    };
    const handler = await build(failing);
    await expect(handler(kinesisEvent([kinesisRecord(smsEvent({ kind: "sent" }))]))).rejects.toThrow(
      /All records failed/i,
    );
  });
});

describe("analytics handler", () => {
  let output = "";
  beforeEach(() => {
    output = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      output += String(chunk);
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it("emits the batch's campaign metrics as EMF and dead-letters the poison record", async () => {
    const r = await resources();
    const campaignId = uniqueName("cmp");
    const handler = createAnalyticsHandler({
      ports: {
        clock: new SystemClock(),
        deadLetter: new SqsDeadLetter(clients().sqs, r.dlqUrl),
        messages: new MemoryMessageLog(),
        metrics: new EmfMetricsSink({ namespace: "HandlerTest" }),
      },
      observability: quiet("analytics"),
    });
    const messageId = uniqueName("msg");
    const poison = kinesisRecord(poisonBytes());
    const response = await handler(
      kinesisEvent([
        kinesisRecord(
          smsEvent({ kind: "sent", campaignId, messageId, occurredAt: new Date().toISOString() }),
        ),
        kinesisRecord(
          smsEvent({ kind: "delivered", campaignId, messageId, occurredAt: new Date().toISOString() }),
        ),
        poison,
      ]),
    );
    vi.restoreAllMocks();
    expect(response.batchItemFailures).toEqual([]);
    const mine = emfLinesOf(output)
      .flatMap(parseEmf)
      .filter((d) => d.dimensions["campaignId"] === campaignId);
    expect(mine.find((d) => d.name === "Delivered")?.value).toBe(1);
    const entries = await deadLetters();
    expect(entries.some((e) => e.source === `analytics:shardId-000000000000/${sequenceOf(poison)}`)).toBe(
      true,
    );
  });

  it.skipIf(!hasJava)(
    "parks a phone-less receipt in DynamoDB Local while its message is unknown, then counts it under its campaign when a later batch brings the queued event",
    async () => {
      const r = await resources();
      const campaignId = uniqueName("cmp");
      const messageId = uniqueName("msg");
      const pending = new DynamoDbPendingReceiptStore(clients().documents, r.tables.pendingReceipts);
      const handler = createAnalyticsHandler({
        ports: {
          // The attribution retries sleep on this clock: a fake one runs them at once.
          clock: new FakeClock("2026-11-24T10:01:00.000Z"),
          deadLetter: new SqsDeadLetter(clients().sqs, r.dlqUrl),
          messages: new DynamoDbMessageLog(clients().documents, r.tables.messages),
          metrics: new EmfMetricsSink({ namespace: "HandlerTest" }),
          pendingReceipts: pending,
        },
        observability: quiet("analytics"),
      });
      const { phoneNumber: _phone, ...receipt } = smsEvent({ kind: "delivered", messageId });
      const deliveredFor = (id: string) =>
        emfLinesOf(output)
          .flatMap(parseEmf)
          .filter((d) => d.name === "Delivered" && d.dimensions["campaignId"] === id)
          .reduce((sum, d) => sum + d.value, 0);

      const first = await handler(kinesisEvent([kinesisRecord(receipt)]));
      expect(first.batchItemFailures).toEqual([]);
      expect(deliveredFor(campaignId)).toBe(0);
      expect(deliveredFor("unattributed")).toBe(0);
      expect((await pending.list("analytics", 100)).map((p) => p.event.eventId)).toContain(receipt.eventId);

      const queued = smsEvent({ kind: "queued", campaignId, messageId, subscriberId: "sub-late" });
      const second = await handler(kinesisEvent([kinesisRecord(queued)]));
      vi.restoreAllMocks();
      expect(second.batchItemFailures).toEqual([]);
      expect(deliveredFor(campaignId)).toBe(1);
      expect(deliveredFor("unattributed")).toBe(0);
      expect((await pending.list("analytics", 100)).map((p) => p.event.eventId)).not.toContain(
        receipt.eventId,
      );
    },
  );
});
