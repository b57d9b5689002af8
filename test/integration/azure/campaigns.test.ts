/**
 * The campaigns app's handlers (enrollment, ticker) against the emulators: Cosmos DB
 * (cosmosdb-server) for every store, Azurite for the audience container. Service Bus has no
 * emulator here: the enrollment queue and the dead letter are the adapters over a recording
 * sender, and a hand-off is "delivered" by feeding its captured body back to the handler, as the
 * queue trigger would (simulated). SMS goes to the in-memory sender.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { controlCampaign, newCampaignRecord } from "../../../core/campaign/campaign";
import { REVIEW_RECHECK_MS } from "../../../core/campaign/dispatch";
import { JourneyCatalog } from "../../../core/campaign/journey-catalog";
import { decodeRecord } from "../../../core/events/decode";
import type { CampaignStore, Clock } from "../../../core/ports";
import { phoneHash } from "../../../core/redact";
import { welcomeSeries } from "../../../journeys/welcome-series";
import { insecureAgent } from "../../../providers/azure/emulators";
import { BLOB_CREATED, createEnrollmentHandler } from "../../../providers/azure/handlers/enrollment";
import { createResponsesHandler } from "../../../providers/azure/handlers/responses";
import { createTickerHandler } from "../../../providers/azure/handlers/ticker";
import { BlobAudienceStore } from "../../../providers/azure/runtime/audience-store";
import { campaignPortsOf } from "../../../providers/azure/runtime/campaign-ports";
import { connectAzureStack } from "../../../providers/azure/runtime/campaign-stack";
import { CosmosCampaignStore } from "../../../providers/azure/runtime/campaign-store";
import type { ContainerId } from "../../../providers/azure/runtime/containers";
import { decodeDeadLetter, ServiceBusDeadLetter } from "../../../providers/azure/runtime/dead-letter";
import { ServiceBusEnrollmentQueue } from "../../../providers/azure/runtime/enrollment-queue";
import { CosmosErasureTombstones } from "../../../providers/azure/runtime/erasure-tombstones";
import { EventHubsEventPublisher } from "../../../providers/azure/runtime/event-publisher";
import { CosmosJourneyStore } from "../../../providers/azure/runtime/journey-store";
import { CosmosMessageLog } from "../../../providers/azure/runtime/message-log";
import { AppInsightsMetricsSink } from "../../../providers/azure/runtime/metrics-sink";
import { ServiceBusNotifier } from "../../../providers/azure/runtime/notifier";
import { CosmosOptOutReviewStore } from "../../../providers/azure/runtime/opt-out-reviews";
import { CosmosOptOutStore } from "../../../providers/azure/runtime/opt-out-store";
import { CosmosResponsesStore } from "../../../providers/azure/runtime/responses-store";
import { CosmosSendLedger } from "../../../providers/azure/runtime/send-ledger";
import { CampaignsEnvSchema, parseEnv } from "../../../providers/azure/runtime/settings";
import { CosmosSubscriberDirectory } from "../../../providers/azure/runtime/subscriber-directory";
import { FakeClock } from "../../../providers/local/runtime/memory/clock";
import { MemorySmsSender } from "../../../providers/local/runtime/memory/sender";
import {
  type CampaignsAppContainers,
  campaignsAppSettings,
  freshContainer,
  useAzureEmulators,
} from "../../emulators/azure";
import { CONNECTION_STRING, fakeIngestion, fakeProducer, fakeSender } from "../../unit/azure/fakes";

/** 10:00 in New York: inside the send window of the 212 numbers below. */
const NOW = "2026-12-03T15:00:00.000Z";
const TICKER = { mps: 1, intervalSeconds: 3 };
const silent = { log: () => {} };

const azure = useAzureEmulators("audience");

/** Fresh containers (as infra/dataStore.ts partitions them), so each test's ticks see only its campaigns. */
const container = (id: ContainerId) => freshContainer(azure, id);

async function campaignApp() {
  const deadLetters = fakeSender();
  const handOffs = fakeSender();
  const events = fakeProducer();
  const campaignsContainer = await container("campaigns");
  const ports = {
    clock: new FakeClock(NOW),
    deadLetter: new ServiceBusDeadLetter(deadLetters.sender),
    sender: new MemorySmsSender(),
    publisher: new EventHubsEventPublisher(events.producer),
    ledger: new CosmosSendLedger(await container("ledger")),
    optOuts: new CosmosOptOutStore(await container("optOuts")),
    optOutReviews: new CosmosOptOutReviewStore(await container("optOutReviews")),
    journeys: new CosmosJourneyStore(await container("journeys")),
    subscribers: new CosmosSubscriberDirectory(await container("subscribers")),
    campaigns: new CosmosCampaignStore(campaignsContainer),
  };
  const enroll = createEnrollmentHandler({
    ports,
    audience: new BlobAudienceStore(azure.blobs()),
    queue: new ServiceBusEnrollmentQueue(handOffs.sender),
    settings: { chunkRows: 3, ticker: TICKER },
  });
  const tick = createTickerHandler({ ports, settings: TICKER, definitions: [] });
  return { ports, deadLetters, handOffs, events, enroll, tick, campaignsContainerId: campaignsContainer.id };
}

const phoneOf = (n: number) => `+1212555${String(1000 + n).padStart(4, "0")}`;
const row = (n: number) => `s${n},${phoneOf(n)},America/New_York,Sub${n}`;

/** The Event Grid BlobCreated event the audience account's system topic puts on the queue. */
const blobCreated = (key: string) => ({
  id: randomUUID(),
  eventType: BLOB_CREATED,
  subject: `/blobServices/default/containers/audience/blobs/${key}`,
  eventTime: NOW,
  dataVersion: "",
  data: {
    api: "PutBlob",
    contentType: "text/csv",
    url: `https://acct.blob.core.windows.net/audience/${key}`,
  },
});

async function launch(app: { ports: { clock: Clock; campaigns: CampaignStore } }, rows: string[]) {
  const campaignId = `c-${randomUUID().slice(0, 8)}`;
  const record = newCampaignRecord(campaignId, welcomeSeries, app.ports.clock.now());
  await app.ports.campaigns.put(record, 0);
  const csv = ["subscriber_id,phone_number,time_zone,first_name", ...rows].join("\n");
  await new BlobAudienceStore(azure.blobs()).upload(record.audienceKey, new TextEncoder().encode(csv));
  return { campaignId, event: blobCreated(record.audienceKey) };
}

describe("the Azure enrollment function on a BlobCreated event", () => {
  it("enrolls in chunks handed on through the queue, dead-letters bad rows with their line, and a retried chunk enrolls nobody twice", async () => {
    const app = await campaignApp();
    const { campaignId, event } = await launch(app, [
      row(0),
      row(1),
      "s9,not-a-number,,X",
      row(2),
      row(3),
      row(4),
    ]);

    const first = await app.enroll(event, silent);
    expect(first).toEqual({
      kind: "enrolled",
      enrolled: 2,
      alreadyEnrolled: 0,
      deadLettered: 1,
      nextLine: 5,
    });
    expect(app.handOffs.sent).toHaveLength(1);
    const handOff = app.handOffs.sent[0];
    expect(handOff.body).toMatchObject({ kind: "enrollment-chunk", campaignId, fromLine: 5 });
    const deadLetter = decodeDeadLetter(app.deadLetters.sent[0].body);
    expect(deadLetter.reason).toMatch(/^line 4: invalid_number: /);
    expect(deadLetter.source).toBe(`enrollment:campaigns/${campaignId}/audience.csv#line=4`);

    // The queue redelivers the first message (say the function died before completing it).
    const retried = await app.enroll(event, silent);
    expect(retried).toMatchObject({ kind: "enrolled", enrolled: 0, alreadyEnrolled: 2, nextLine: 5 });
    // The same message id: the queue's duplicate detection drops the second hand-off.
    expect(app.handOffs.sent[1].messageId).toBe(handOff.messageId);

    const second = await app.enroll(handOff.body, silent);
    expect(second).toEqual({ kind: "enrolled", enrolled: 3, alreadyEnrolled: 0, deadLettered: 0 });
    expect(app.handOffs.sent).toHaveLength(2);
    const again = await app.enroll(handOff.body, silent);
    expect(again).toMatchObject({ enrolled: 0, alreadyEnrolled: 3 });

    for (const n of [0, 1, 2, 3, 4]) {
      expect(await app.ports.journeys.get(campaignId, `s${n}`)).toMatchObject({ status: "waiting" });
    }
    expect(await app.ports.journeys.get(campaignId, "s9")).toBeUndefined();
    expect(app.ports.sender.delivered).toHaveLength(0);
    const record = await app.ports.campaigns.get(campaignId);
    expect(record).toMatchObject({ status: "running" });
    expect(record?.enrolledAt).toBeDefined();
    expect((await app.ports.campaigns.counts(campaignId)).enrolled).toBe(5);
  });

  it("sends an upload without a campaign record, or one that is not an audience, to the dead letter with the reason", async () => {
    const app = await campaignApp();
    const orphan = blobCreated("campaigns/never-launched/audience.csv");
    await new BlobAudienceStore(azure.blobs()).upload(
      "campaigns/never-launched/audience.csv",
      new TextEncoder().encode("subscriber_id,phone_number\ns1,+12125550100"),
    );
    expect(await app.enroll(orphan, silent)).toMatchObject({ kind: "dead-lettered" });
    expect(await app.enroll(blobCreated("campaigns/x/other.csv"), silent)).toMatchObject({
      kind: "dead-lettered",
    });
    const reasons = app.deadLetters.sent.map((m) => decodeDeadLetter(m.body).reason);
    expect(reasons).toEqual([
      "no campaign record for never-launched: launch it with smsctl campaign launch",
      "not a campaign audience upload: /blobServices/default/containers/audience/blobs/campaigns/x/other.csv",
    ]);
    expect(JSON.parse(new TextDecoder().decode(decodeDeadLetter(app.deadLetters.sent[0].body).raw))).toEqual(
      orphan,
    );
  });

  it("stops a run whose audience was uploaded again since it began", async () => {
    const app = await campaignApp();
    const { campaignId, event } = await launch(app, [row(0), row(1), row(2), row(3)]);
    await app.enroll(event, silent);
    const handOff = app.handOffs.sent[0].body;
    await new BlobAudienceStore(azure.blobs()).upload(
      `campaigns/${campaignId}/audience.csv`,
      new TextEncoder().encode("subscriber_id,phone_number\ns7,+12125550177"),
    );
    expect(await app.enroll(handOff, silent)).toEqual({ kind: "superseded" });
    expect(await app.ports.journeys.get(campaignId, "s3")).toBeUndefined();
  });
});

describe("the Azure ticker function", () => {
  it("sends due steps within MPS x interval per tick and stamps the campaign on the queued events", async () => {
    const app = await campaignApp();
    const spring = await launch(app, [row(0), row(1), row(2)]);
    const autumn = await launch(app, [row(3), row(4)]);
    await app.enroll(spring.event, silent);
    await app.enroll(autumn.event, silent);
    expect(app.handOffs.sent).toHaveLength(0); // each audience fits one chunk of 3

    const first = await app.tick({ isPastDue: false }, silent);
    expect(first.allowanceParts).toBe(3);
    expect(app.ports.sender.delivered).toHaveLength(3);
    await app.tick(undefined, silent);
    expect(app.ports.sender.delivered).toHaveLength(5);
    expect(app.ports.sender.delivered[0].body).toMatch(/^Welcome to Acme, Sub\d!/);
    const counts = [
      await app.ports.campaigns.counts(spring.campaignId),
      await app.ports.campaigns.counts(autumn.campaignId),
    ];
    expect(counts.map((c) => c["sent:welcome"])).toEqual([3, 2]);
    const queued = app.events.sent.flatMap((e) => {
      const decoded = decodeRecord(e.body);
      return decoded.ok ? decoded.events.filter((event) => event.kind === "queued") : [];
    });
    expect(new Set(queued.map((e) => e.campaignId))).toEqual(new Set([spring.campaignId, autumn.campaignId]));
    expect(queued.every((e) => e.journeyId === "welcome-series")).toBe(true);
    // Everyone now waits on the branch: the next tick sends nothing.
    await app.tick(undefined, silent);
    expect(app.ports.sender.delivered).toHaveLength(5);
  });

  it("sends nothing to a number whose reply waits in the review queue, until the review is rejected", async () => {
    const app = await campaignApp();
    const { event } = await launch(app, [row(0), row(1), row(2)]);
    await app.enroll(event, silent);
    await app.ports.optOutReviews.put({
      eventId: "reply-held",
      phoneNumber: phoneOf(1),
      text: "who is this?",
      receivedAt: NOW,
      optOutConfidence: 0.7,
      rule: "phrase.en.wrong-number",
    });
    await app.tick(undefined, silent);
    expect(app.ports.sender.delivered.map((m) => m.to).sort()).toEqual([phoneOf(0), phoneOf(2)]);

    await app.ports.optOutReviews.decide("reply-held", "rejected", NOW);
    app.ports.clock.advance(REVIEW_RECHECK_MS);
    await app.tick(undefined, silent);
    expect(app.ports.sender.to(phoneOf(1))).toHaveLength(1);
  });

  it("honours pause and cancel within one tick", async () => {
    const app = await campaignApp();
    const paused = await launch(app, [row(0), row(1)]);
    const cancelled = await launch(app, [row(2), row(3)]);
    await app.enroll(paused.event, silent);
    await app.enroll(cancelled.event, silent);
    await controlCampaign(app.ports.campaigns, paused.campaignId, "pause", app.ports.clock.now());
    await controlCampaign(app.ports.campaigns, cancelled.campaignId, "cancel", app.ports.clock.now());

    await app.tick(undefined, silent);
    expect(app.ports.sender.delivered).toHaveLength(0);
    expect(await app.ports.journeys.bySubscriber("s2")).toEqual([]);
    expect(await app.ports.journeys.get(cancelled.campaignId, "s2")).toMatchObject({ status: "done" });
    expect((await app.ports.campaigns.counts(cancelled.campaignId)).cancelled).toBe(2);

    await controlCampaign(app.ports.campaigns, paused.campaignId, "resume", app.ports.clock.now());
    app.ports.clock.advance(TICKER.intervalSeconds * 1000);
    await app.tick(undefined, silent);
    expect(app.ports.sender.delivered.map((m) => m.to).sort()).toEqual([phoneOf(0), phoneOf(1)]);
  });

  it("sends nothing to an erased number (its tombstone reads as an opt-out) and a re-import skips it, with the ports campaignPortsOf builds from salted settings", async () => {
    const salt = "function-salt-0123456789abcdef";
    const names = Object.fromEntries(
      await Promise.all(
        (["journeys", "subscribers", "ledger", "optOuts", "optOutReviews", "campaigns"] as const).map(
          async (id) => [id, (await container(id)).id] as const,
        ),
      ),
    );
    const env = parseEnv(
      CampaignsEnvSchema,
      campaignsAppSettings(azure, names as CampaignsAppContainers, {
        PHONE_HASH_SALT: salt,
      }),
    );
    // Service Bus, Event Hubs and ingestion are fakes (no emulator here); Cosmos and Blob are the emulators.
    const sender = new MemorySmsSender();
    const { audience, enrollmentQueue, ...ports } = campaignPortsOf(env, {
      clients: {
        cosmos: (name) => azure.database().container(name),
        serviceBus: { createSender: () => fakeSender().sender } as never,
        eventHub: fakeProducer().producer,
        metricsTransport: fakeIngestion().transport,
      },
      clock: new FakeClock(NOW),
      sender,
    });
    const app = { ports };
    const enroll = createEnrollmentHandler({
      ports,
      audience,
      queue: enrollmentQueue,
      settings: { chunkRows: 3, ticker: TICKER },
    });
    const tick = createTickerHandler({ ports, settings: TICKER, definitions: [] });
    const first = await launch(app, [row(0), row(1)]);
    await enroll(first.event, silent);
    // smsctl erase's tombstone, written after the number was enrolled.
    const optOuts = azure.database().container(names["optOuts"] ?? "");
    await new CosmosErasureTombstones(optOuts).put({ phoneHash: phoneHash(phoneOf(1), salt), erasedAt: NOW });

    await tick(undefined, silent);
    expect(sender.delivered.map((m) => m.to)).toEqual([phoneOf(0)]);
    expect(await ports.optOuts.isOptedOut(phoneOf(1))).toBe(true);
    // Nothing stored for it in clear: the opt-out store itself never heard of it.
    expect(await new CosmosOptOutStore(optOuts).isOptedOut(phoneOf(1))).toBe(false);

    const again = await launch(app, [row(1), row(2)]);
    expect(await enroll(again.event, silent)).toMatchObject({ kind: "enrolled", enrolled: 1, erased: 1 });
    expect(await ports.journeys.get(again.campaignId, "s1")).toBeUndefined();
  });
});

describe("the Azure responses function with journey routing", () => {
  /** A reply from subscriber n in the Event Grid form ACS delivers through the hub. */
  const reply = (n: number, message: string) => {
    const id = `Incoming_${randomUUID()}`;
    return {
      id,
      topic: "/subscriptions/x/resourcegroups/rg/providers/microsoft.communication/communicationservices/acs",
      subject: `/phonenumber/${phoneOf(n).slice(1)}`,
      data: { messageId: id, from: phoneOf(n).slice(1), to: "18005550100", message, receivedTimestamp: NOW },
      eventType: "Microsoft.Communication.SMSReceived",
      dataVersion: "1.0",
      metadataVersion: "1",
      eventTime: NOW,
    };
  };
  const invocation = (messages: unknown[]) => ({
    triggerMetadata: {
      sequenceNumberArray: messages.map((_, index) => index + 1),
      partitionContext: { PartitionId: "0", EventHubName: "sms-events-stream" },
    },
    log: () => {},
    warn: () => {},
    error: () => {},
  });

  it("advances a launched campaign on YES, ends it on STOP, and counts replies per keyword", async () => {
    const app = await campaignApp();
    const { campaignId, event } = await launch(app, [row(0), row(1), row(2)]);
    await app.enroll(event, silent);
    await app.tick(undefined, silent);
    expect(app.ports.sender.delivered).toHaveLength(3);

    const responses = createResponsesHandler({
      ports: {
        clock: app.ports.clock,
        deadLetter: app.ports.deadLetter,
        metrics: new AppInsightsMetricsSink({
          connectionString: CONNECTION_STRING,
          namespace: "SmsCampaigns",
          transport: fakeIngestion().transport,
        }),
        responses: new CosmosResponsesStore(await container("responses")),
        optOuts: app.ports.optOuts,
        messages: new CosmosMessageLog(await container("messages")),
        notifier: new ServiceBusNotifier(fakeSender().sender),
        sender: app.ports.sender,
        journeyRouting: {
          journeys: app.ports.journeys,
          subscribers: app.ports.subscribers,
          definitions: new JourneyCatalog([], app.ports.campaigns),
          campaigns: app.ports.campaigns,
        },
      },
      settings: { helpText: "help", stopConfirmationText: "bye", patterns: [] },
      maxAttempts: 1,
    });
    const batch = [reply(0, "Yes please"), reply(1, "STOP")];
    expect(await responses(batch, invocation(batch))).toMatchObject({ records: 2, exhausted: 0 });
    expect(await app.ports.journeys.get(campaignId, "s1")).toMatchObject({ status: "done" });

    const sentBefore = app.ports.sender.delivered.length; // + the STOP confirmation
    await app.tick(undefined, silent);
    const sentNow = app.ports.sender.delivered.slice(sentBefore);
    expect(sentNow.map((m) => [m.to, m.body])).toEqual([
      [phoneOf(0), "Thanks, Sub0! Your first tip arrives next week."],
    ]);
    const counts = await app.ports.campaigns.counts(campaignId);
    expect(counts).toMatchObject({ "reply:YES": 1, "sent:thank-you": 1 });
  });
});

describe("connectAzureStack", () => {
  it("launches through the stack's outputs: the record into Cosmos, the audience into its container, which enrollment then reads", async () => {
    const app = await campaignApp();
    const stack = connectAzureStack(
      {
        cosmosEndpoint: azure.cosmos().endpoint,
        cosmosDatabase: azure.database().id,
        campaignsContainer: app.campaignsContainerId,
        audienceBlobEndpoint: azure.azurite().endpoint,
        audienceContainer: "audience",
        eventHubName: "ignored",
      },
      {
        cosmosKey: "emulator",
        cosmosAgent: insecureAgent,
        storageConnectionString: azure.azurite().connectionString,
      },
    );
    expect(stack.describe()).toMatch(
      /^azure cosmos 127\.0\.0\.1:\d+ container audience on 127\.0\.0\.1:\d+$/,
    );
    const record = newCampaignRecord(`c-${randomUUID().slice(0, 8)}`, welcomeSeries, app.ports.clock.now());
    expect(await stack.campaigns.put(record, 0)).toBe(true);
    const csv = ["subscriber_id,phone_number,time_zone", `s0,${phoneOf(0)},America/New_York`].join("\n");
    await stack.uploadAudience(record.audienceKey, new TextEncoder().encode(csv));
    expect(await app.enroll(blobCreated(record.audienceKey), silent)).toMatchObject({ enrolled: 1 });
    expect(await stack.campaigns.counts(record.campaignId)).toMatchObject({ enrolled: 1 });
    const properties = await azure.blobs().getBlobClient(record.audienceKey).getProperties();
    expect(properties.contentType).toBe("text/csv; charset=utf-8");
  });
});
