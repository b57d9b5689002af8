/**
 * Launched campaigns on GCP: the enrollment and ticker functions and reply routing against the
 * Firestore and Pub/Sub emulators, the audience bucket through the real Storage client against the
 * fake JSON API server, and Twilio's real REST client with its HTTP layer intercepted.
 */
import { randomUUID } from "node:crypto";
import type { CloudEvent } from "@google-cloud/functions-framework";
import { Storage } from "@google-cloud/storage";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audienceKeyOf, controlCampaign, newCampaignRecord } from "../../../core/campaign/campaign";
import { campaignStatusView } from "../../../core/campaign/campaign-counters";
import { phoneHash } from "../../../core/redact";
import { welcomeSeries } from "../../../journeys/welcome-series";
import { createEnrollmentHandler } from "../../../providers/gcp/handlers/enrollment";
import { STORAGE_FINALIZED } from "../../../providers/gcp/handlers/enrollment-events";
import { createResponsesHandler } from "../../../providers/gcp/handlers/responses";
import { createTicker } from "../../../providers/gcp/handlers/ticker";
import { GcsAudienceSource } from "../../../providers/gcp/runtime/audience-source";
import { connectGcpStack, parseGcpStackOutputs } from "../../../providers/gcp/runtime/campaign-stack";
import { decodeDeadLetterMessage, PubSubDeadLetter } from "../../../providers/gcp/runtime/dead-letter";
import { FirestoreErasureTombstones } from "../../../providers/gcp/runtime/erasure-tombstones";
import { journeyPortsOf } from "../../../providers/gcp/runtime/journey-ports";
import { FirestoreMessageLog } from "../../../providers/gcp/runtime/message-log";
import { PubSubNotifier } from "../../../providers/gcp/runtime/notifier";
import { FirestoreOptOutStore } from "../../../providers/gcp/runtime/opt-out-store";
import { FirestoreResponsesStore } from "../../../providers/gcp/runtime/responses-store";
import { TwilioSmsSender } from "../../../providers/gcp/runtime/twilio-sender";
import { type FakeGcs, startFakeGcs } from "../../../providers/local/gcs/fake-gcs-server";
import { FakeClock } from "../../../providers/local/runtime/memory";
import { pubsubCloudEvent } from "../../unit/gcp/pubsub-events";
import { collectTopic, emulatorsUnavailable, PROJECT, uniqueName, useGcpEmulators } from "./emulators";

const fixture = useGcpEmulators();
const BUCKET = "sms-audience-test";
/** Noon UTC: inside every subscriber's sending window (they live in UTC). */
const NOON = "2026-06-16T12:00:00.000Z";

let gcs: FakeGcs;
let storage: Storage;
beforeAll(async () => {
  process.env["METADATA_SERVER_DETECTION"] = "none";
  gcs = await startFakeGcs();
  storage = new Storage({ apiEndpoint: gcs.endpoint, projectId: PROJECT });
});
afterAll(() => gcs.close());

/** Twilio's real client, answering every Messages.json POST as accepted with a fresh SID. */
const twilioDouble = () => {
  const bodies: Record<string, unknown>[] = [];
  const httpClient = {
    async request(options: { data?: Record<string, unknown> }) {
      bodies.push(options.data ?? {});
      const sid = `SM${randomUUID().replace(/-/g, "")}`;
      return {
        statusCode: 201,
        body: JSON.stringify({ sid, status: "accepted", num_segments: "1" }),
        headers: {},
      };
    },
  };
  const client = twilio(`AC${"0".repeat(32)}`, "auth-token", { httpClient: httpClient as never });
  const sender = new TwilioSmsSender(client, {
    messagingServiceSid: `MG${"1".repeat(32)}`,
    statusCallbackUrl: "https://sms.example.com/twilio",
  });
  return { sender, bodies };
};

const csvRow = (n: number) => `sub-${n},+1212555${String(3000 + n)},UTC,Name${n}`;
const HEADER = "subscriber_id,phone_number,time_zone,first_name";

const finalizedEvent = (name: string, generation = "1"): CloudEvent<unknown> => ({
  specversion: "1.0",
  id: randomUUID(),
  type: STORAGE_FINALIZED,
  source: `//storage.googleapis.com/projects/_/buckets/${BUCKET}`,
  subject: `objects/${name}`,
  time: NOON,
  data: { kind: "storage#object", bucket: BUCKET, name, generation, contentType: "text/csv", size: "100" },
});

/**
 * A stack in the emulators: fresh collections and topics, one campaign store, a fake clock at noon;
 * with `salt`, the functions screen erased numbers as the deployed ones do.
 */
const stack = async (salt?: string) => {
  const env = {
    JOURNEYS_COLLECTION: uniqueName("journeys"),
    SUBSCRIBERS_COLLECTION: uniqueName("subscribers"),
    CAMPAIGNS_COLLECTION: uniqueName("campaigns"),
    OPT_OUTS_COLLECTION: uniqueName("opt-outs"),
    OPT_OUT_REVIEWS_COLLECTION: uniqueName("opt-out-reviews"),
    SEND_LEDGER_COLLECTION: uniqueName("ledger"),
    EVENTS_TOPIC: uniqueName("events"),
    FIRESTORE_DATABASE: undefined,
    PHONE_HASH_SALT: salt,
  };
  const events = await collectTopic(fixture.pubsub(), env.EVENTS_TOPIC, true);
  const deadLetters = await collectTopic(fixture.pubsub(), uniqueName("dlq"));
  const chunks = await collectTopic(fixture.pubsub(), uniqueName("enrollment"));
  const clock = new FakeClock(NOON);
  const ports = {
    ...journeyPortsOf(env, { firestore: fixture.firestore(), pubsub: fixture.pubsub() }, clock),
    deadLetter: new PubSubDeadLetter(deadLetters.topic),
  };
  const campaignStack = connectGcpStack(
    {
      project: PROJECT,
      region: "europe-west1",
      firestoreDatabase: "(default)",
      campaignsCollection: env.CAMPAIGNS_COLLECTION,
      audienceBucket: BUCKET,
    },
    { firestore: fixture.firestore(), storage },
  );
  const enrollment = createEnrollmentHandler({
    ports,
    audience: new GcsAudienceSource(storage.bucket(BUCKET)),
    nextChunks: chunks.topic,
    chunkRows: 3,
    log: () => {},
  });
  const twilioSender = twilioDouble();
  const tick = createTicker({
    ports: { ...ports, sender: twilioSender.sender },
    settings: { mps: 1, intervalSeconds: 3 },
    definitions: [],
    log: () => {},
  });
  /** Launches a campaign the way smsctl does: the record first, then the audience upload. */
  const launch = async (campaignId: string, rows: string[]) => {
    await campaignStack.campaigns.put(newCampaignRecord(campaignId, welcomeSeries, clock.now()), 0);
    await campaignStack.uploadAudience(
      audienceKeyOf(campaignId),
      new TextEncoder().encode([HEADER, ...rows].join("\n")),
    );
  };
  const status = async (campaignId: string) =>
    campaignStatusView(
      (await campaignStack.campaigns.get(campaignId))!,
      await campaignStack.campaigns.counts(campaignId),
    );
  return {
    env,
    ports,
    events,
    deadLetters,
    chunks,
    clock,
    campaignStack,
    enrollment,
    tick,
    twilioSender,
    launch,
    status,
  };
};

/** Runs the first chunk, then feeds every handed-on chunk back in, as the push subscription would. */
const enrollAll = async (s: Awaited<ReturnType<typeof stack>>, first: CloudEvent<unknown>) => {
  const outcomes = [await s.enrollment(first)];
  for (let fed = 0; fed < 10; fed++) {
    const handedOn = await s.chunks.read();
    if (handedOn.length <= fed) break;
    const message = handedOn[fed];
    outcomes.push(await s.enrollment(pubsubCloudEvent(message.data, randomUUID(), message.attributes)));
  }
  return outcomes;
};

const describeWithEmulators = emulatorsUnavailable ? describe.skip : describe;
if (emulatorsUnavailable) {
  describe("GCP campaign functions", () => {
    it.skip(`skipped: ${emulatorsUnavailable}`, () => {});
  });
}

describeWithEmulators("GCP enrollment function (Firestore, Pub/Sub emulators; fake Cloud Storage)", () => {
  it("enrolls an uploaded audience in chunks handed on through Pub/Sub, and dead-letters bad rows by line", async () => {
    const s = await stack();
    const campaignId = `spring-${randomUUID().slice(0, 8)}`;
    // Lines 2-8: five members, an invalid number (line 4) and a repeat of sub-1 (line 6).
    await s.launch(campaignId, [
      csvRow(1),
      csvRow(2),
      "bad,not-a-number,UTC,X",
      csvRow(3),
      csvRow(1),
      csvRow(4),
      csvRow(5),
    ]);
    const outcomes = await enrollAll(s, finalizedEvent(audienceKeyOf(campaignId)));

    expect(outcomes.map((o) => ("nextLine" in o ? o.nextLine : undefined))).toEqual([5, 8, undefined]);
    expect(outcomes.map((o) => ("enrolled" in o ? o.enrolled : -1))).toEqual([2, 2, 1]);
    const handedOn = (await s.chunks.read()).map((m) => JSON.parse(m.data.toString("utf8")));
    expect(handedOn).toEqual([
      { bucket: BUCKET, name: audienceKeyOf(campaignId), generation: "1", fromLine: 5 },
      { bucket: BUCKET, name: audienceKeyOf(campaignId), generation: "1", fromLine: 8 },
    ]);
    for (const n of [1, 2, 3, 4, 5]) {
      expect(await s.ports.journeys.get(campaignId, `sub-${n}`)).toMatchObject({
        status: "waiting",
        stepId: "welcome",
        wakeAt: NOON,
      });
    }
    expect(await s.ports.subscribers.get("sub-3")).toMatchObject({ attributes: { first_name: "Name3" } });
    const dead = (await s.deadLetters.read()).map(decodeDeadLetterMessage);
    expect(dead.map((d) => d.reason.split(":").slice(0, 2).join(":")).sort()).toEqual([
      "line 4: invalid_number",
      "line 6: duplicate",
    ]);
    expect(dead[0].source).toMatch(new RegExp(`^enrollment:campaigns/${campaignId}/audience.csv#line=`));
    expect(await s.status(campaignId)).toMatchObject({
      status: "running",
      enrollment: "complete",
      enrolled: 5,
      deadLettered: 2,
      sent: 0,
    });
  });

  it("enrolls nobody twice when a chunk is redelivered or the audience re-uploaded (storage notification form)", async () => {
    const s = await stack();
    const campaignId = `again-${randomUUID().slice(0, 8)}`;
    await s.launch(campaignId, [csvRow(1), csvRow(2)]);
    const notification = (generation: string) =>
      pubsubCloudEvent({ bucket: BUCKET, name: audienceKeyOf(campaignId) }, randomUUID(), {
        eventType: "OBJECT_FINALIZE",
        payloadFormat: "JSON_API_V1",
        bucketId: BUCKET,
        objectId: audienceKeyOf(campaignId),
        objectGeneration: generation,
      });
    const first = notification("1");
    expect(await s.enrollment(first)).toMatchObject({ kind: "enrolled", enrolled: 2, alreadyEnrolled: 0 });
    expect(await s.enrollment(first)).toMatchObject({ kind: "enrolled", enrolled: 0, alreadyEnrolled: 2 });
    expect(await s.enrollment(notification("2"))).toMatchObject({ enrolled: 0, alreadyEnrolled: 2 });
    expect((await s.status(campaignId)).enrolled).toBe(2);
    expect(
      (await s.ports.journeys.bySubscriber("sub-1")).filter((j) => j.journeyId === campaignId),
    ).toHaveLength(1);
  });

  it("dead-letters an upload with no campaign record, with the reason, and acknowledges it", async () => {
    const s = await stack();
    const key = audienceKeyOf(`ghost-${randomUUID().slice(0, 8)}`);
    await s.campaignStack.uploadAudience(key, new TextEncoder().encode(`${HEADER}\n${csvRow(1)}`));
    const outcome = await s.enrollment(finalizedEvent(key));
    expect(outcome).toMatchObject({
      kind: "dead-lettered",
      reason: expect.stringContaining("no campaign record"),
    });
    const dead = (await s.deadLetters.read()).map(decodeDeadLetterMessage);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ source: `enrollment:gs://${BUCKET}/${key}` });
    expect(JSON.parse(new TextDecoder().decode(dead[0].raw)).type).toBe(STORAGE_FINALIZED);
    expect(await s.ports.journeys.bySubscriber("sub-1")).toEqual([]);
  });

  it("ignores other objects and dead-letters a CSV without its required columns", async () => {
    const s = await stack();
    expect(await s.enrollment(finalizedEvent("campaigns/x/notes.txt"))).toMatchObject({ kind: "ignored" });
    const campaignId = `cols-${randomUUID().slice(0, 8)}`;
    await s.campaignStack.campaigns.put(newCampaignRecord(campaignId, welcomeSeries, s.clock.now()), 0);
    await s.campaignStack.uploadAudience(
      audienceKeyOf(campaignId),
      new TextEncoder().encode("id,phone\n1,2"),
    );
    expect(await s.enrollment(finalizedEvent(audienceKeyOf(campaignId)))).toMatchObject({
      kind: "dead-lettered",
      reason: expect.stringContaining("missing required column(s): subscriber_id, phone_number"),
    });
  });
});

describeWithEmulators(
  "GCP ticker and reply routing (Firestore, Pub/Sub emulators; Twilio client intercepted)",
  () => {
    it("sends at most one interval's allowance per tick through Twilio, publishing each send to the events topic", async () => {
      const s = await stack();
      const campaignId = `tick-${randomUUID().slice(0, 8)}`;
      await s.launch(campaignId, [1, 2, 3, 4, 5].map(csvRow));
      await enrollAll(s, finalizedEvent(audienceKeyOf(campaignId)));

      const first = await s.tick();
      expect(first.allowanceParts).toBe(3);
      expect(s.twilioSender.bodies).toHaveLength(3);
      expect(first.campaigns[campaignId]).toMatchObject({ sent: 3, "sent:welcome": 3 });
      s.clock.advance(3_000);
      await s.tick();
      expect(s.twilioSender.bodies.map((b) => b["To"]).sort()).toEqual(
        [1, 2, 3, 4, 5].map((n) => `+1212555${3000 + n}`),
      );
      expect(String(s.twilioSender.bodies[0]["Body"])).toMatch(/^Welcome to Acme, Name\d!/);
      const queued = (await s.events.read())
        .map((m) => JSON.parse(m.data.toString("utf8")))
        .filter((e) => e.kind === "queued");
      expect(queued).toHaveLength(5);
      expect(queued[0]).toMatchObject({ campaignId, journeyId: "welcome-series", provider: "twilio" });
      expect(await s.status(campaignId)).toMatchObject({ sent: 5, sentByStep: { welcome: 5 }, waiting: 5 });
    });

    it("honours pause and cancel within one tick", async () => {
      const s = await stack();
      const campaignId = `ctl-${randomUUID().slice(0, 8)}`;
      await s.launch(campaignId, [1, 2].map(csvRow));
      await enrollAll(s, finalizedEvent(audienceKeyOf(campaignId)));
      await controlCampaign(s.campaignStack.campaigns, campaignId, "pause", s.clock.now());
      await s.tick();
      expect(s.twilioSender.bodies).toHaveLength(0);
      await controlCampaign(s.campaignStack.campaigns, campaignId, "cancel", s.clock.now());
      s.clock.advance(3_000);
      await s.tick();
      expect(s.twilioSender.bodies).toHaveLength(0);
      expect(await s.ports.journeys.get(campaignId, "sub-1")).toMatchObject({ status: "done" });
      expect((await s.status(campaignId)).done.cancelled).toBe(2);
    });

    it("sends nothing to an erased number (its tombstone reads as an opt-out), and a re-import skips it", async () => {
      const salt = "function-salt-0123456789abcdef";
      const s = await stack(salt);
      const erased = "+12125553002";
      const campaignId = `erased-${randomUUID().slice(0, 8)}`;
      await s.launch(campaignId, [1, 2].map(csvRow));
      // One chunk (chunkRows 3): nothing handed on.
      await s.enrollment(finalizedEvent(audienceKeyOf(campaignId)));
      // smsctl erase's tombstone, written after the number was enrolled.
      await new FirestoreErasureTombstones(fixture.firestore(), s.env.OPT_OUTS_COLLECTION).put({
        phoneHash: phoneHash(erased, salt),
        erasedAt: NOON,
      });

      await s.tick();
      expect(s.twilioSender.bodies.map((b) => b["To"])).toEqual(["+12125553001"]);
      // Nothing was stored for it in clear either: the opt-out store itself is untouched.
      expect(await s.ports.optOuts.isOptedOut(erased)).toBe(true);
      expect(
        await new FirestoreOptOutStore(fixture.firestore(), s.env.OPT_OUTS_COLLECTION).isOptedOut(erased),
      ).toBe(false);

      const again = `again-${randomUUID().slice(0, 8)}`;
      await s.launch(again, [2, 3].map(csvRow));
      const outcome = await s.enrollment(finalizedEvent(audienceKeyOf(again)));
      expect(outcome).toMatchObject({ kind: "enrolled", enrolled: 1, erased: 1 });
      expect(await s.ports.journeys.get(again, "sub-2")).toBeUndefined();
    });

    it("routes a YES reply into the launched campaign's branch, and the next tick sends its thank-you", async () => {
      const s = await stack();
      const campaignId = `reply-${randomUUID().slice(0, 8)}`;
      await s.launch(campaignId, [csvRow(1)]);
      await enrollAll(s, finalizedEvent(audienceKeyOf(campaignId)));
      await s.tick();
      const deadLetters = await collectTopic(fixture.pubsub(), uniqueName("responses-dlq"));
      const notifications = await collectTopic(fixture.pubsub(), uniqueName("notes"));
      const firestore = fixture.firestore();
      const responses = createResponsesHandler({
        ports: {
          clock: s.clock,
          deadLetter: new PubSubDeadLetter(deadLetters.topic),
          responses: new FirestoreResponsesStore(firestore, uniqueName("responses")),
          optOuts: s.ports.optOuts,
          messages: new FirestoreMessageLog(firestore, uniqueName("messages")),
          notifier: new PubSubNotifier(notifications.topic),
          sender: twilioDouble().sender,
          journeyRouting: {
            journeys: s.ports.journeys,
            subscribers: s.ports.subscribers,
            definitions: new (await import("../../../core/campaign/journey-catalog")).JourneyCatalog(
              [],
              s.ports.campaigns,
            ),
            campaigns: s.ports.campaigns,
          },
        },
        settings: { helpText: "help", stopConfirmationText: "stopped", patterns: [] },
      });
      await responses(
        pubsubCloudEvent({
          eventId: `evt-${randomUUID()}`,
          schemaVersion: 1,
          kind: "received",
          occurredAt: s.clock.now().toISOString(),
          provider: "twilio",
          phoneNumber: "+12125553001",
          body: "Yes please",
        }),
      );
      expect((await s.status(campaignId)).replies).toEqual({ YES: 1 });
      s.clock.advance(3_000);
      await s.tick();
      expect((await s.status(campaignId)).sentByStep).toEqual({ welcome: 1, "thank-you": 1 });
    });
  },
);

describe("connectGcpStack", () => {
  it("names the missing output in one line", () => {
    expect(() =>
      parseGcpStackOutputs({ project: "p", region: "r", firestoreDatabase: "d", campaignsCollection: "c" }),
    ).toThrow(/^GCP stack outputs: "audienceBucket" is missing or empty/);
    expect(() => connectGcpStack(undefined)).toThrow(/GCP stack outputs/);
  });

  it("describes the stack and uploads the audience as one object at its key", async () => {
    const stackPort = connectGcpStack(
      {
        project: "p1",
        region: "europe-west1",
        firestoreDatabase: "db",
        campaignsCollection: "c",
        audienceBucket: BUCKET,
      },
      { storage },
    );
    expect(stackPort.describe()).toBe(`gcp p1 europe-west1 bucket ${BUCKET}`);
    await stackPort.uploadAudience("campaigns/up-1/audience.csv", new TextEncoder().encode("a,b\n"));
    expect(gcs.objects.get(`${BUCKET}/campaigns/up-1/audience.csv`)?.toString()).toBe("a,b\n");
  });
});
