import { describe, expect, it } from "vitest";
import type { MetricDatum } from "../../../core/ports";
import { FirestoreCampaignStore } from "../../../providers/gcp/runtime/campaign-store";
import { SystemClock } from "../../../providers/gcp/runtime/clock";
import { decodeDeadLetterMessage, PubSubDeadLetter } from "../../../providers/gcp/runtime/dead-letter";
import { PubSubEventPublisher } from "../../../providers/gcp/runtime/event-publisher";
import { createGcpPorts } from "../../../providers/gcp/runtime/gcp-ports";
import { FirestoreJourneyStore } from "../../../providers/gcp/runtime/journey-store";
import { FirestoreMessageLog } from "../../../providers/gcp/runtime/message-log";
import { LogMetricsSink, type MetricLogLine } from "../../../providers/gcp/runtime/metrics-sink";
import { decodeNotificationMessage, PubSubNotifier } from "../../../providers/gcp/runtime/notifier";
import { FirestoreOptOutReviewStore } from "../../../providers/gcp/runtime/opt-out-reviews";
import { FirestoreOptOutStore } from "../../../providers/gcp/runtime/opt-out-store";
import { FirestorePendingReceiptStore } from "../../../providers/gcp/runtime/pending-receipts";
import { FirestoreResponsesStore } from "../../../providers/gcp/runtime/responses-store";
import { FirestoreRevocationClockStore } from "../../../providers/gcp/runtime/revocation-clocks";
import { FirestoreSendLedger } from "../../../providers/gcp/runtime/send-ledger";
import { FirestoreSubscriberDirectory } from "../../../providers/gcp/runtime/subscriber-directory";
import { campaignStoreContract } from "../../contracts/campaigns.contract";
import { circuitBreakerContract } from "../../contracts/circuit-breaker.contract";
import { clockContract } from "../../contracts/clock.contract";
import { deadLetterContract } from "../../contracts/dead-letter.contract";
import { journeyStoreContract } from "../../contracts/journeys.contract";
import { sendLedgerContract } from "../../contracts/ledger.contract";
import { messageLogContract } from "../../contracts/messages.contract";
import { metricsSinkContract } from "../../contracts/metrics.contract";
import { notifierContract } from "../../contracts/notifier.contract";
import { optOutReviewStoreContract } from "../../contracts/opt-out-reviews.contract";
import { optOutStoreContract } from "../../contracts/opt-outs.contract";
import { pendingReceiptStoreContract } from "../../contracts/pending-receipts.contract";
import { eventPublisherContract } from "../../contracts/publisher.contract";
import { responsesStoreContract } from "../../contracts/responses.contract";
import { revocationClockStoreContract } from "../../contracts/revocation-clocks.contract";
import { subscriberDirectoryContract } from "../../contracts/subscribers.contract";
import { collectTopic, emulatorsUnavailable, once, uniqueName, useGcpEmulators } from "./emulators";

const fixture = useGcpEmulators();
const firestore = () => fixture.firestore();
const pubsub = () => fixture.pubsub();
const collection = (name: string) => uniqueName(name);

const deadLetters = once(() => collectTopic(pubsub(), uniqueName("dlq")));
const notifications = once(() => collectTopic(pubsub(), uniqueName("notifications")));
const events = once(() => collectTopic(pubsub(), uniqueName("events"), true));

if (emulatorsUnavailable) {
  describe("GCP adapters against Google's emulators", () => {
    it.skip(`skipped: ${emulatorsUnavailable}`, () => {});
  });
} else {
  const names = {
    responses: collection("responses"),
    optOuts: collection("opt-outs"),
    ledger: collection("ledger"),
    journeys: collection("journeys"),
    messages: collection("messages"),
    subscribers: collection("subscribers"),
    campaigns: collection("campaigns"),
    pendingReceipts: collection("pending-receipts"),
    optOutReviews: collection("opt-out-reviews"),
    revocations: collection("revocation-clocks"),
  };
  responsesStoreContract(
    "Firestore (emulator)",
    () => new FirestoreResponsesStore(firestore(), names.responses),
  );
  optOutStoreContract("Firestore (emulator)", () => new FirestoreOptOutStore(firestore(), names.optOuts));
  sendLedgerContract("Firestore (emulator)", () => new FirestoreSendLedger(firestore(), names.ledger));
  journeyStoreContract("Firestore (emulator)", () => new FirestoreJourneyStore(firestore(), names.journeys));
  messageLogContract("Firestore (emulator)", () => new FirestoreMessageLog(firestore(), names.messages));
  subscriberDirectoryContract(
    "Firestore (emulator)",
    () => new FirestoreSubscriberDirectory(firestore(), names.subscribers),
  );

  campaignStoreContract(
    "Firestore (emulator)",
    () => new FirestoreCampaignStore(firestore(), names.campaigns),
  );
  circuitBreakerContract(
    "Firestore (emulator)",
    () => new FirestoreCampaignStore(firestore(), names.campaigns),
  );

  pendingReceiptStoreContract(
    "Firestore (emulator)",
    () => new FirestorePendingReceiptStore(firestore(), names.pendingReceipts),
  );
  optOutReviewStoreContract(
    "Firestore (emulator)",
    () => new FirestoreOptOutReviewStore(firestore(), names.optOutReviews),
  );
  revocationClockStoreContract(
    "Firestore (emulator)",
    () => new FirestoreRevocationClockStore(firestore(), names.revocations),
  );
  describe("the Firestore campaign store", () => {
    it("keeps counters out of list() and out of the record's document", async () => {
      const store = new FirestoreCampaignStore(firestore(), uniqueName("campaigns"));
      const record = {
        campaignId: "solo-campaign",
        journeyName: "message",
        steps: [],
        status: "running" as const,
        audienceKey: "campaigns/solo-campaign/audience.csv",
        enrolledAt: "2026-12-03T10:05:00.000Z",
        createdAt: "2026-12-03T10:00:00.000Z",
        updatedAt: "2026-12-03T10:00:00.000Z",
        version: 1,
      };
      await store.addCounts(record.campaignId, { sent: 2 });
      expect(await store.list()).toEqual([]);
      expect(await store.put(record, 0)).toBe(true);
      expect(await store.list()).toEqual([record]);
      const { enrolledAt: _dropped, ...withoutEnrolledAt } = record;
      expect(await store.put({ ...withoutEnrolledAt, version: 2 }, 1)).toBe(true);
      expect(await store.get(record.campaignId)).toEqual({ ...withoutEnrolledAt, version: 2 });
      expect(await store.counts(record.campaignId)).toEqual({ sent: 2 });
    });
  });

  deadLetterContract("Pub/Sub topic (emulator)", async () => {
    const { topic, read } = await deadLetters();
    return {
      port: new PubSubDeadLetter(topic),
      read: async () => (await read()).map(decodeDeadLetterMessage),
    };
  });
  notifierContract("Pub/Sub topic (emulator, read back through a subscription)", async () => {
    const { topic, read } = await notifications();
    return {
      port: new PubSubNotifier(topic),
      read: async () => (await read()).map(decodeNotificationMessage),
    };
  });
  eventPublisherContract("Pub/Sub with ordering keys (emulator)", async () => {
    const { topic, read } = await events();
    const ordered = pubsub().topic(topic.name, { messageOrdering: true });
    return {
      port: new PubSubEventPublisher(ordered),
      read: async () =>
        (await read()).map((m) => ({ partitionKey: m.orderingKey, data: new Uint8Array(m.data) })),
    };
  });

  describe("the Firestore stores' TTL fields", () => {
    it("store a reply's expiry both as epoch seconds (ttl) and as the Timestamp the TTL policy reads", async () => {
      const store = new FirestoreResponsesStore(firestore(), names.responses);
      const eventId = uniqueName("evt");
      await store.put({
        event_id: eventId,
        phone_number: "+14255550100",
        response_text: "yes",
        response_timestamp: "2026-11-24T10:00:00.000Z",
        category: "yes",
        sentiment: "positive",
        ttl: 1_795_514_400,
      });
      const raw = (await firestore().collection(names.responses).doc(eventId).get()).data();
      expect(raw?.ttl).toBe(1_795_514_400);
      expect(raw?.expireAt.toMillis()).toBe(1_795_514_400_000);
      expect(await store.get(eventId)).not.toHaveProperty("expireAt");
    });

    it("expire a logged message one year after it was sent", async () => {
      const log = new FirestoreMessageLog(firestore(), names.messages);
      const messageId = uniqueName("msg");
      await log.record({ messageId, phoneNumber: "+14255550101", sentAt: "2026-11-24T10:00:00.000Z" });
      const raw = (await firestore().collection(names.messages).doc(messageId).get()).data();
      expect(raw?.expireAt.toDate().toISOString()).toBe("2027-11-24T10:00:00.000Z");
    });
  });

  describe("the journey store under contention", () => {
    it("lets exactly one of several writers holding the same version win", async () => {
      const store = new FirestoreJourneyStore(firestore(), names.journeys);
      const state = {
        journeyId: uniqueName("journey"),
        subscriberId: uniqueName("sub"),
        phoneNumber: "+14255550102",
        stepId: "start",
        status: "active" as const,
        version: 1,
        updatedAt: "2026-11-24T10:00:00.000Z",
      };
      await store.put(state, 0);
      const results = await Promise.all(
        ["a", "b", "c", "d"].map((stepId) => store.put({ ...state, stepId, version: 2 }, 1)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.get(state.journeyId, state.subscriberId))?.version).toBe(2);
    });
  });

  describe("createGcpPorts", () => {
    it("wires every port to the collection, topic and bucket its environment variable names", async () => {
      const dlq = await deadLetters();
      const topicName = uniqueName("ports-events");
      await pubsub().createTopic(topicName);
      const bucketName = uniqueName("archive");
      const ports = createGcpPorts(
        {
          EVENTS_TOPIC: topicName,
          DEAD_LETTER_TOPIC: dlq.topic.name.split("/").at(-1),
          RESPONSES_COLLECTION: names.responses,
          OPT_OUTS_COLLECTION: names.optOuts,
          OPT_OUT_REVIEWS_COLLECTION: names.optOutReviews,
          MESSAGE_LOG_COLLECTION: names.messages,
          SEND_LEDGER_COLLECTION: names.ledger,
          JOURNEYS_COLLECTION: names.journeys,
          SUBSCRIBERS_COLLECTION: names.subscribers,
          CAMPAIGNS_COLLECTION: names.campaigns,
          NOTIFICATION_TOPIC: "unused",
          ARCHIVE_BUCKET: bucketName,
          HELP_TEXT: "help",
          STOP_CONFIRMATION_TEXT: "stopped",
        },
        {
          clients: {
            firestore: firestore(),
            pubsub: pubsub(),
            storage: new (await import("@google-cloud/storage")).Storage({ projectId: "x" }),
          },
        },
      );
      const phone = "+14255550177";
      const eventId = uniqueName("evt");
      expect(await ports.optOuts.optOut(phone, "2026-11-24T10:00:00.000Z", eventId)).toBe(true);
      expect(await new FirestoreOptOutStore(firestore(), names.optOuts).isOptedOut(phone)).toBe(true);
      expect(await ports.ledger.claim(eventId, "2026-11-24T10:00:00.000Z")).toBe(true);
      expect(await new FirestoreSendLedger(firestore(), names.ledger).get(eventId)).toMatchObject({
        state: "pending",
      });
      expect(await ports.campaigns.counts("wired-campaign")).toEqual({});
      await ports.campaigns.addCounts("wired-campaign", { enrolled: 1 });
      expect(await new FirestoreCampaignStore(firestore(), names.campaigns).counts("wired-campaign")).toEqual(
        {
          enrolled: 1,
        },
      );
      expect(await ports.publisher.publish([{ partitionKey: phone, data: new Uint8Array([1]) }])).toEqual({
        failed: [],
      });
      const reason = uniqueName("reason");
      await ports.deadLetter.send({ raw: new Uint8Array([9]), reason, source: "s", receivedAt: "t" });
      expect((await dlq.read()).some((m) => m.attributes.reason === reason)).toBe(true);
      expect(
        await ports.sender.send({ to: phone, body: "hi", messageType: "transactional", idempotencyKey: "k" }),
      ).toMatchObject({
        status: "failed",
        retryable: false,
      });
    });

    it("names every missing variable at once", () => {
      expect(() => createGcpPorts({ EVENTS_TOPIC: "t" })).toThrow(
        /DEAD_LETTER_TOPIC is required.*RESPONSES_COLLECTION is required/,
      );
    });
  });
}

metricsSinkContract("Cloud Logging lines for log-based metrics (read back from the lines)", () => {
  const lines: string[] = [];
  return {
    port: new LogMetricsSink({ namespace: "ContractTest", write: (line) => lines.push(line) }),
    read: async () =>
      lines
        .map((line) => JSON.parse(line) as MetricLogLine)
        .filter((line) => line.scope === "campaign")
        .map(
          (line): MetricDatum => ({
            name: line.metric,
            value: line.value,
            unit: line.unit,
            dimensions: { campaignId: String(line.campaignId) },
            timestamp: line.timestamp,
          }),
        ),
  };
});

clockContract("system clock", () => new SystemClock());
