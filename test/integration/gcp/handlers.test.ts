import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import { Storage } from "@google-cloud/storage";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SmsEvent } from "../../../core/events/schema";
import type { ResponseRecord, ResponsesStore } from "../../../core/ports";
import { readArchiveObject } from "../../../core/processing/archive";
import { phoneHash } from "../../../core/redact";
import { createAnalyticsHandler } from "../../../providers/gcp/handlers/analytics";
import { archivePortsOf, createArchiveHandler } from "../../../providers/gcp/handlers/archive";
import { MessageFailed } from "../../../providers/gcp/handlers/pubsub-consumer";
import { createResponsesHandler } from "../../../providers/gcp/handlers/responses";
import { FUNCTION_TARGETS } from "../../../providers/gcp/infra/environment";
import { GcsArchiveStore } from "../../../providers/gcp/runtime/archive-store";
import { SystemClock } from "../../../providers/gcp/runtime/clock";
import { decodeDeadLetterMessage, PubSubDeadLetter } from "../../../providers/gcp/runtime/dead-letter";
import { FirestoreErasureTombstones } from "../../../providers/gcp/runtime/erasure-tombstones";
import { FirestoreMessageLog } from "../../../providers/gcp/runtime/message-log";
import { LogMetricsSink, type MetricLogLine } from "../../../providers/gcp/runtime/metrics-sink";
import { decodeNotificationMessage, PubSubNotifier } from "../../../providers/gcp/runtime/notifier";
import { FirestoreOptOutStore } from "../../../providers/gcp/runtime/opt-out-store";
import { FirestoreResponsesStore } from "../../../providers/gcp/runtime/responses-store";
import { ArchiveEnvSchema, parseEnv } from "../../../providers/gcp/runtime/settings";
import { type FakeGcs, startFakeGcs } from "../../../providers/local/gcs/fake-gcs-server";
import { MemoryMessageLog } from "../../../providers/local/runtime/memory";
import { RecordingSender } from "../../support/recording-sender";
import { expectedSentMessage } from "../../support/sent-message";
import { pubsubCloudEvent, pubsubPushBody, TEST_TOPIC } from "../../unit/gcp/pubsub-events";
import { collectTopic, emulatorsUnavailable, once, uniqueName, useGcpEmulators } from "./emulators";

const fixture = useGcpEmulators();
const resources = once(async () => ({
  deadLetters: await collectTopic(fixture.pubsub(), uniqueName("dlq")),
  notifications: await collectTopic(fixture.pubsub(), uniqueName("notifications")),
  collections: {
    responses: uniqueName("responses"),
    optOuts: uniqueName("opt-outs"),
    messages: uniqueName("messages"),
  },
}));

const smsEvent = (overrides: Partial<SmsEvent> & Pick<SmsEvent, "kind">): SmsEvent => ({
  eventId: `evt-${randomUUID()}`,
  schemaVersion: 1,
  occurredAt: "2026-11-24T10:00:30.000Z",
  provider: "twilio",
  phoneNumber: "+14255550100",
  ...overrides,
});
const reply = (body: string, overrides: Partial<SmsEvent> = {}) =>
  smsEvent({ kind: "received", body, ...overrides });
const poison = () => new Uint8Array([0xff, 0xfe, 0x00, 0x7b, 0xc3, 0x28]);

/** A responses store that fails its first `failures` writes, like a transient Firestore outage. */
class FlakyResponses implements ResponsesStore {
  constructor(
    private readonly inner: ResponsesStore,
    private failures: number,
  ) {}
  put(record: ResponseRecord) {
    if (this.failures-- > 0) return Promise.reject(new Error("UNAVAILABLE: try again"));
    return this.inner.put(record);
  }
  get = (id: string) => this.inner.get(id);
  bySubscriber = (id: string) => this.inner.bySubscriber(id);
  byCampaign = (id: string) => this.inner.byCampaign(id);
}

const describeWithEmulators = emulatorsUnavailable ? describe.skip : describe;
if (emulatorsUnavailable) {
  describe("GCP handlers", () => {
    it.skip(`skipped: ${emulatorsUnavailable}`, () => {});
  });
}

describeWithEmulators("responses function (Firestore and Pub/Sub emulators)", () => {
  const build = async (options: { failures?: number } = {}) => {
    const r = await resources();
    const firestore = fixture.firestore();
    const sender = new RecordingSender();
    const stored = new FirestoreResponsesStore(firestore, r.collections.responses);
    const ports = {
      clock: new SystemClock(),
      deadLetter: new PubSubDeadLetter(r.deadLetters.topic),
      responses: options.failures ? new FlakyResponses(stored, options.failures) : stored,
      optOuts: new FirestoreOptOutStore(firestore, r.collections.optOuts),
      messages: new FirestoreMessageLog(firestore, r.collections.messages),
      notifier: new PubSubNotifier(r.notifications.topic),
      sender,
    };
    const handler = createResponsesHandler({
      ports,
      settings: {
        helpText: "Acme: reply STOP to opt out.",
        stopConfirmationText: "You are unsubscribed.",
        patterns: [{ name: "interested", type: "keyword", keyword: "YES" }],
      },
    });
    return { handler, ports, sender, stored };
  };

  it("stores a reply, opts out a STOP and confirms it once, and notifies a matching pattern", async () => {
    const { handler, ports, sender, stored } = await build();
    const yes = reply("YES", { phoneNumber: "+14255550101", campaignId: uniqueName("cmp") });
    const stop = reply("STOP", { phoneNumber: "+14255550102" });
    await handler(pubsubCloudEvent(yes));
    await handler(pubsubCloudEvent(stop));
    expect(await stored.get(yes.eventId)).toMatchObject({ category: "yes", phone_number: "+14255550101" });
    expect(await ports.optOuts.isOptedOut("+14255550102")).toBe(true);
    expect(sender.requests.map((r) => [r.to, r.body])).toEqual([["+14255550102", "You are unsubscribed."]]);
    const notified = (await (await resources()).notifications.read()).map(decodeNotificationMessage);
    const [notice] = notified.filter((n) => n.id === `${yes.eventId}:interested`);
    expect(notified.filter((n) => n.id === notice.id)).toHaveLength(1);
    // The subscriber by the last four digits, the reply by its length and event id; neither in full.
    expect(notice.attributes).toMatchObject({
      phoneMasked: "***0101",
      bodyLength: "3",
      eventId: yes.eventId,
    });
    expect(JSON.stringify(notice)).not.toContain("4255550101");
  });

  it("changes nothing when the same message is redelivered or the same event is published again", async () => {
    const { handler, sender, stored } = await build();
    const stop = reply("STOP", { phoneNumber: "+14255550103" });
    const event = pubsubCloudEvent(stop);
    await handler(event);
    const first = await stored.get(stop.eventId);
    const answers = sender.requests.length;
    await handler(event);
    await handler(pubsubCloudEvent(stop));
    expect(await stored.get(stop.eventId)).toEqual(first);
    expect(sender.requests).toHaveLength(answers);
  });

  it("logs the campaign's queued events, one message each, and keeps the first on redelivery", async () => {
    const { handler, ports, sender } = await build();
    const campaignId = uniqueName("cmp");
    const queued = [1, 2, 3].map((n) =>
      smsEvent({
        kind: "queued",
        phoneNumber: `+1425555020${n}`,
        occurredAt: `2026-11-24T10:0${n}:00.000Z`,
        messageId: uniqueName("msg"),
        campaignId,
        subscriberId: `sub-${n}`,
      }),
    );
    // Push delivers one Pub/Sub message per invocation, so each is its own batch of one.
    const messages = queued.map((event) => pubsubCloudEvent(event));
    for (const message of messages) await handler(message);
    const logged = await Promise.all(queued.map((event) => ports.messages.get(event.messageId ?? "")));
    expect(logged).toEqual(queued.map((event) => expectedSentMessage(event, campaignId)));

    // Redelivered (same message ids), and the events published again: the log keeps the first.
    for (const message of messages) await expect(handler(message)).resolves.toMatchObject({ failedIds: [] });
    for (const event of queued) await handler(pubsubCloudEvent({ ...event, campaignId: "later" }));
    expect(await Promise.all(queued.map((event) => ports.messages.get(event.messageId ?? "")))).toEqual(
      logged,
    );
    expect(await ports.messages.lastTo(queued[1].phoneNumber ?? "")).toEqual(logged[1]);
    expect(sender.requests).toHaveLength(0);
  });

  it("dead-letters a poison message with its raw bytes and message id, and acknowledges it", async () => {
    const { handler } = await build();
    const messageId = uniqueName("poison");
    const outcome = await handler(pubsubCloudEvent(poison(), messageId));
    expect(outcome).toMatchObject({ failedIds: [], deadLettered: 1 });
    const entry = (await (await resources()).deadLetters.read())
      .map(decodeDeadLetterMessage)
      .find((e) => e.source.endsWith(`/${messageId}`));
    expect(entry).toBeDefined();
    expect([...entry!.raw]).toEqual([...poison()]);
    expect(entry!.source).toBe(
      `responses:projects/sms-emulated/subscriptions/sms-events-stream-responses/${messageId}`,
    );
    expect(entry!.reason).toMatch(/UTF-8/);
  });

  it("throws on a transient failure so Pub/Sub retries, and the redelivery completes the work", async () => {
    const { handler, stored } = await build({ failures: 1 });
    const hello = reply("hello there", { phoneNumber: "+14255550104" });
    const event = pubsubCloudEvent(hello);
    await expect(handler(event)).rejects.toBeInstanceOf(MessageFailed);
    expect(await stored.get(hello.eventId)).toBeUndefined();
    await expect(handler(event)).resolves.toMatchObject({ failedIds: [] });
    expect(await stored.get(hello.eventId)).toMatchObject({ response_text: "hello there" });
  });
});

describe("archive function (Cloud Storage client against the fake JSON API server)", () => {
  const deadLetters: Uint8Array[] = [];
  let gcs: FakeGcs;
  let handler: ReturnType<typeof createArchiveHandler>;
  let storage: Storage;
  beforeAll(async () => {
    process.env["METADATA_SERVER_DETECTION"] = "none";
    gcs = await startFakeGcs();
    storage = new Storage({ apiEndpoint: gcs.endpoint, projectId: "sms-emulated" });
    handler = createArchiveHandler({
      ports: {
        clock: new SystemClock(),
        deadLetter: { send: async (entry) => void deadLetters.push(entry.raw) },
        messages: new MemoryMessageLog(),
        archive: new GcsArchiveStore(storage.bucket("sms-archive")),
      },
    });
  });
  afterAll(() => gcs.close());

  it("writes the event as date-partitioned Parquet; a redelivery overwrites its object, a second publish is a second object", async () => {
    const delivered = smsEvent({
      kind: "delivered",
      campaignId: "spring",
      occurredAt: "2026-11-24T23:59:59.000Z",
    });
    const before = gcs.objects.size;
    const message = pubsubCloudEvent(delivered);
    await handler(message);
    await handler(message);
    const afterRedelivery = [...gcs.objects.keys()].slice(before);
    expect(afterRedelivery).toHaveLength(1);
    expect(afterRedelivery[0]).toMatch(/^sms-archive\/events\/dt=2026-11-24\/[0-9a-f]{32}\.parquet$/);
    const rows = await readArchiveObject(new Uint8Array(gcs.objects.get(afterRedelivery[0])!));
    expect(rows.map((e) => e.eventId)).toEqual([delivered.eventId]);
    // The same payload published again (a retried webhook) is at-least-once: archived again.
    await handler(pubsubCloudEvent(delivered, "another-message-id"));
    expect(gcs.objects.size - before).toBe(2);
  });

  it.skipIf(Boolean(emulatorsUnavailable))(
    "drops an erased number's rows when its environment has the salt (archivePortsOf, as deployed), and keeps the others",
    async () => {
      const salt = "function-salt-0123456789abcdef";
      const optOuts = uniqueName("opt-outs");
      const erased = "+14255550177";
      await new FirestoreErasureTombstones(fixture.firestore(), optOuts).put({
        phoneHash: phoneHash(erased, salt),
        erasedAt: "2026-11-24T09:00:00.000Z",
      });
      const prefix = `${uniqueName("screened")}/`;
      const env = parseEnv(ArchiveEnvSchema, {
        DEAD_LETTER_TOPIC: (await resources()).deadLetters.topic.name,
        MESSAGE_LOG_COLLECTION: uniqueName("messages"),
        PENDING_RECEIPTS_COLLECTION: uniqueName("parked"),
        ARCHIVE_BUCKET: "sms-archive",
        ARCHIVE_PREFIX: prefix,
        OPT_OUTS_COLLECTION: optOuts,
        PHONE_HASH_SALT: salt,
      });
      const clients = { firestore: fixture.firestore(), pubsub: fixture.pubsub(), storage };
      const screened = createArchiveHandler({ ports: archivePortsOf(env, clients) });
      const kept = reply("see you there");
      await screened(pubsubCloudEvent(reply("hello from an erased number", { phoneNumber: erased })));
      await screened(pubsubCloudEvent(kept));
      const rowsUnder = async (keyPrefix: string) => {
        const keys = [...gcs.objects.keys()].filter((key) => key.startsWith(`sms-archive/${keyPrefix}`));
        return (
          await Promise.all(keys.map((key) => readArchiveObject(new Uint8Array(gcs.objects.get(key)!))))
        ).flat();
      };
      const rows = await rowsUnder(prefix);
      expect(rows.map((row) => row.eventId)).toEqual([kept.eventId]);
      expect(JSON.stringify(rows)).not.toContain(erased);

      // Without the salt there are no tombstones to find: the same event is archived.
      const unsaltedPrefix = `${uniqueName("unsalted")}/`;
      const unsalted = createArchiveHandler({
        ports: archivePortsOf(
          { ...env, ARCHIVE_PREFIX: unsaltedPrefix, PHONE_HASH_SALT: undefined },
          clients,
        ),
      });
      await unsalted(pubsubCloudEvent(reply("hello again", { phoneNumber: erased })));
      expect((await rowsUnder(unsaltedPrefix)).map((row) => row.phoneNumber)).toEqual([erased]);
    },
  );

  it("acknowledges an event that is not a Pub/Sub message after dead-lettering it whole", async () => {
    const outcome = await handler({
      specversion: "1.0",
      id: "x-1",
      type: "other",
      source: "elsewhere",
      data: { hello: 1 },
    });
    expect(outcome.deadLettered).toBe(1);
    expect(new TextDecoder().decode(deadLetters.at(-1))).toContain('"hello":1');
  });
});

describe("analytics function", () => {
  it("logs one campaign line and one stack-wide line per metric datum", async () => {
    const lines: string[] = [];
    const handler = createAnalyticsHandler({
      ports: {
        clock: new SystemClock(),
        deadLetter: { send: async () => {} },
        messages: new MemoryMessageLog(),
        metrics: new LogMetricsSink({ namespace: "SmsCampaigns", write: (line) => lines.push(line) }),
      },
    });
    await handler(pubsubCloudEvent(smsEvent({ kind: "delivered", campaignId: "spring" })));
    const parsed = lines.map((line) => JSON.parse(line) as MetricLogLine);
    const delivered = parsed.filter((line) => line.metric === "Delivered");
    expect(delivered.map((line) => [line.scope, line.campaignId, line.value])).toEqual([
      ["campaign", "spring", 1],
      ["stack", undefined, 1],
    ]);
    expect(delivered[0]).toMatchObject({
      severity: "INFO",
      metricNamespace: "SmsCampaigns",
      timestamp: "2026-11-24T10:00:00.000Z",
    });
  });
});

describeWithEmulators("the deployed entry point (Functions Framework, Pub/Sub push)", () => {
  let server: ReturnType<typeof getTestServer> | undefined;
  let base = "";
  let deadLetterTopic = "";
  beforeEach(async () => {
    if (server) return;
    const r = await resources();
    deadLetterTopic = r.deadLetters.topic.name.split("/").at(-1) ?? "";
    Object.assign(process.env, {
      DEAD_LETTER_TOPIC: deadLetterTopic,
      GOOGLE_CLOUD_PROJECT: "sms-emulated",
      MESSAGE_LOG_COLLECTION: uniqueName("messages"),
      PENDING_RECEIPTS_COLLECTION: uniqueName("pending-receipts"),
    });
    await import("../../../providers/gcp/handlers/index");
    server = getTestServer(FUNCTION_TARGETS.analytics);
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it("turns a raw push on the topic path into a CloudEvent and acknowledges a poison message after dead-lettering it", async () => {
    const messageId = uniqueName("pushed");
    const response = await fetch(`${base}/${TEST_TOPIC}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(pubsubPushBody(poison(), messageId)),
    });
    expect(response.status).toBeLessThan(300);
    const entry = (await (await resources()).deadLetters.read())
      .map(decodeDeadLetterMessage)
      .find((e) => e.source.endsWith(`/${messageId}`));
    expect(entry && [...entry.raw]).toEqual([...poison()]);
  });
});
