import { GetObjectCommand, PutObjectCommand, type PutObjectCommandInput, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { audienceKeyOf, controlCampaign, newCampaignRecord } from "../../../core/campaign/campaign";
import { welcomeSeries } from "../../../journeys/welcome-series";
import { createEnrollmentHandler } from "../../../providers/aws/handlers/enrollment";
import { createObservability } from "../../../providers/aws/handlers/observability";
import { createTickerHandler } from "../../../providers/aws/handlers/ticker";
import { createAwsPorts } from "../../../providers/aws/runtime/aws-ports";
import { connectAwsStack } from "../../../providers/aws/runtime/campaign-stack";
import { clientConfigOf, FAKE_CREDENTIALS } from "../../../providers/aws/runtime/client-config";
import { decodeDeadLetter } from "../../../providers/aws/runtime/dead-letter";
import { SqsChunkQueue, s3AudienceOpener } from "../../../providers/aws/runtime/enrollment-chunks";
import { javaAvailable } from "../../../providers/local/emulators";
import { ensureBucket, ensureQueue, ensureStream } from "../../../providers/local/emulators/provision";
import { FakeClock } from "../../../providers/local/runtime/memory";
import { once, tickerEnvOn, uniqueName, useAwsEmulators } from "../../emulators/aws";
import { drainQueue } from "../../emulators/readers";
import { RecordingSender } from "../../support/recording-sender";
import { s3PutEvent, sqsEvent } from "../../unit/aws/enrollment-events";

const hasJava = javaAvailable();
const fixture = useAwsEmulators({ kinesis: true, fauxqs: true, dynamodb: hasJava });
const clients = () => fixture.clients();

/** Stream, bucket and queues are shared by the file's tests; see resources for the stores. */
const shared = once(async () => {
  const c = clients();
  const streamName = uniqueName("events");
  await ensureStream(c.kinesis, streamName, { shards: 1 });
  const bucket = uniqueName("audiences");
  await ensureBucket(c.s3, bucket);
  const dlq = await ensureQueue(c.sqs, uniqueName("dlq"));
  const chunks = await ensureQueue(c.sqs, uniqueName("chunks"));
  return { streamName, bucket, dlqUrl: dlq.url, chunksUrl: chunks.url };
});

/** The shared resources, and tables of the test's own: a tick reads every due journey and campaign. */
async function resources() {
  const common = await shared();
  const env = await tickerEnvOn(clients().dynamodb, common);
  return { ...common, env };
}

/** 16:00 UTC: noon in New York, inside every subscriber's sending window. */
const NOON_NEW_YORK = Date.parse("2026-06-16T16:00:00.000Z");
const DAY_MS = 86_400_000;

const subscriberRow = (campaignId: string, n: number) =>
  `${campaignId}-sub-${n},+1212555${String(3000 + n)},America/New_York,Sub${n}`;

/** Five members, a bad number on line 4 and a repeat of the first member on line 7. */
const audienceCsv = (campaignId: string) =>
  [
    "subscriber_id,phone_number,time_zone,first_name",
    subscriberRow(campaignId, 0),
    subscriberRow(campaignId, 1),
    `${campaignId}-bad,not-a-number,America/New_York,Bad`,
    subscriberRow(campaignId, 2),
    subscriberRow(campaignId, 3),
    subscriberRow(campaignId, 0),
    subscriberRow(campaignId, 4),
  ].join("\n");

async function setup() {
  const r = await resources();
  const clock = new FakeClock(new Date(NOON_NEW_YORK));
  const sender = new RecordingSender();
  const ports = createAwsPorts(r.env, { clients: clients(), sender, clock });
  const enroll = createEnrollmentHandler({
    ports,
    openAudience: s3AudienceOpener(clients().s3),
    queue: new SqsChunkQueue(clients().sqs, r.chunksUrl),
    maxRows: 4,
    observability: createObservability("enrollment", { logLevel: "SILENT" }),
  });
  const upload = async (key: string, csv: string) =>
    clients().s3.send(new PutObjectCommand({ Bucket: r.bucket, Key: key, Body: csv }));
  const deadLetters = async () =>
    (await drainQueue(clients().sqs, r.dlqUrl)).map((m) => decodeDeadLetter(m.body));
  const nextChunks = async () => (await drainQueue(clients().sqs, r.chunksUrl)).map((m) => m.body);
  return { r, clock, sender, ports, enroll, upload, deadLetters, nextChunks };
}

/** A launched campaign whose audience was uploaded and fully enrolled, chunk by chunk. */
async function enrolled(campaignId: string) {
  const s = await setup();
  const record = newCampaignRecord(campaignId, welcomeSeries, s.clock.now());
  await s.ports.campaigns.put(record, 0);
  await s.upload(record.audienceKey, audienceCsv(campaignId));
  await s.enroll(s3PutEvent(s.r.bucket, record.audienceKey));
  for (let chunk = await s.nextChunks(); chunk.length > 0; chunk = await s.nextChunks()) {
    for (const body of chunk) await s.enroll(sqsEvent(body));
  }
  await s.deadLetters();
  return s;
}

describe.skipIf(!hasJava)("AWS enrollment function (fauxqs S3 + SQS, DynamoDB Local)", () => {
  it("enrolls an uploaded audience chunk by chunk through the chunk queue, dead-lettering bad rows with their line", async () => {
    const s = await setup();
    await s.deadLetters();
    const campaignId = uniqueName("spring");
    const record = newCampaignRecord(campaignId, welcomeSeries, s.clock.now());
    await s.ports.campaigns.put(record, 0);
    await s.upload(record.audienceKey, audienceCsv(campaignId));

    await s.enroll(s3PutEvent(s.r.bucket, record.audienceKey));
    const handedOn = await s.nextChunks();
    expect(handedOn.map((body) => JSON.parse(body))).toEqual([
      { bucket: s.r.bucket, key: record.audienceKey, fromLine: 6 },
    ]);
    expect(await s.ports.campaigns.counts(campaignId)).toMatchObject({ enrolled: 3, dead_lettered: 1 });
    expect((await s.ports.campaigns.get(campaignId))?.status).toBe("enrolling");

    await s.enroll(sqsEvent(handedOn[0]));
    expect(await s.nextChunks()).toEqual([]);
    expect(await s.ports.campaigns.counts(campaignId)).toMatchObject({ enrolled: 5, dead_lettered: 2 });
    expect((await s.ports.campaigns.get(campaignId))?.status).toBe("running");

    const reasons = (await s.deadLetters()).map((entry) => entry.reason);
    expect(reasons).toEqual([
      expect.stringMatching(/^line 4: invalid_number: /),
      expect.stringMatching(/^line 7: duplicate: /),
    ]);
    for (let n = 0; n < 5; n++) {
      expect(await s.ports.journeys.get(campaignId, `${campaignId}-sub-${n}`)).toMatchObject({
        stepId: "welcome",
        status: "waiting",
      });
    }
    expect(s.sender.requests).toEqual([]);
  }, 60_000);

  it("enrolls nobody twice when the same upload event or chunk arrives again", async () => {
    const campaignId = uniqueName("again");
    const s = await enrolled(campaignId);
    const before = await s.ports.journeys.get(campaignId, `${campaignId}-sub-0`);

    await s.enroll(s3PutEvent(s.r.bucket, audienceKeyOf(campaignId)));
    for (const body of await s.nextChunks()) await s.enroll(sqsEvent(body));

    const counts = await s.ports.campaigns.counts(campaignId);
    expect(counts).toMatchObject({ enrolled: 5, already_enrolled: 5 });
    expect(await s.ports.journeys.get(campaignId, `${campaignId}-sub-0`)).toEqual(before);
  }, 60_000);

  it("dead-letters an upload that no campaign was launched for, once, and ignores other objects", async () => {
    const s = await setup();
    await s.deadLetters();
    const orphan = audienceKeyOf(uniqueName("ghost"));
    await s.upload(orphan, audienceCsv("ghost"));
    await s.upload("campaigns/readme.txt", "not an audience");

    await expect(s.enroll(s3PutEvent(s.r.bucket, orphan))).resolves.toBeUndefined();
    await expect(s.enroll(s3PutEvent(s.r.bucket, "campaigns/readme.txt"))).resolves.toBeUndefined();

    const letters = await s.deadLetters();
    expect(letters.map((entry) => entry.reason)).toEqual([
      expect.stringMatching(new RegExp(`^no campaign record for ${orphan}`)),
    ]);
    expect(letters[0].source).toBe(`enrollment:${orphan}`);
    expect(await s.nextChunks()).toEqual([]);
  }, 60_000);

  it("rejects a queue message that is not a chunk, so SQS redrives it to its dead-letter queue", async () => {
    const s = await setup();
    await expect(s.enroll(sqsEvent('{"hello":"world"}'))).rejects.toThrow(/not an enrollment chunk/);
  });
});

describe.skipIf(!hasJava)(
  "AWS journey ticker over launched campaigns (DynamoDB Local, kinesis-local)",
  () => {
    // 50 MPS over a 60 ms interval: 3 parts per tick.
    const settings = { mps: 50, intervalSeconds: 0.06 };

    it("sends the due steps within one interval's allowance and counts them per campaign", async () => {
      const campaignId = uniqueName("tick");
      const s = await enrolled(campaignId);
      const tick = createTickerHandler({ ports: s.ports, settings, definitions: [] });

      const first = await tick();
      expect(first.allowanceParts).toBe(3);
      expect(s.sender.requests).toHaveLength(3);
      expect(first.campaigns[campaignId]).toMatchObject({ sent: 3, "sent:welcome": 3 });
      s.clock.advance(60);
      await tick();
      expect(s.sender.requests).toHaveLength(5);
      expect(new Set(s.sender.requests.map((r) => r.to)).size).toBe(5);
      expect(s.sender.requests[0].body).toMatch(/^Welcome to Acme, Sub\d!/);
      expect(await s.ports.campaigns.counts(campaignId)).toMatchObject({ sent: 5, "sent:welcome": 5 });
    }, 60_000);

    it("sends nothing in the tick after a pause, resumes in the next, and ends every journey in the tick after a cancel", async () => {
      const campaignId = uniqueName("control");
      const s = await enrolled(campaignId);
      const tick = createTickerHandler({
        ports: s.ports,
        settings: { mps: 50, intervalSeconds: 1 },
        definitions: [],
      });

      await controlCampaign(s.ports.campaigns, campaignId, "pause", s.clock.now());
      await tick();
      expect(s.sender.requests).toHaveLength(0);

      await controlCampaign(s.ports.campaigns, campaignId, "resume", s.clock.now());
      s.clock.advance(1000);
      await tick();
      expect(s.sender.requests).toHaveLength(5);

      await controlCampaign(s.ports.campaigns, campaignId, "cancel", s.clock.now());
      s.clock.advance(DAY_MS + 1000);
      await tick();
      expect(s.sender.requests).toHaveLength(5);
      for (let n = 0; n < 5; n++) {
        expect(await s.ports.journeys.get(campaignId, `${campaignId}-sub-${n}`)).toMatchObject({
          status: "done",
        });
      }
      expect(await s.ports.campaigns.counts(campaignId)).toMatchObject({ sent: 5, cancelled: 5, ended: 5 });
    }, 60_000);
  },
);

describe.skipIf(!hasJava)("connectAwsStack (DynamoDB Local, fauxqs S3)", () => {
  it("reaches the stack's campaigns table and uploads the audience, KMS-encrypted, where the enrollment function listens", async () => {
    const r = await resources();
    const outputs = {
      region: "us-east-1",
      campaignsTable: r.env.CAMPAIGNS_TABLE,
      audienceBucket: r.bucket,
      audienceKeyArn: "arn:aws:kms:us-east-1:000000000000:key/stack-key",
      tickerFunction: "sms-ticker",
      enrollmentFunction: "sms-enrollment",
      streamName: "ignored: other outputs are allowed",
    };
    const options = { endpoints: fixture.emulators().endpoints, credentials: FAKE_CREDENTIALS };
    // The emulator does not report SSE, so the request itself is read back.
    const puts: PutObjectCommandInput[] = [];
    const s3 = new S3Client(clientConfigOf({ region: "us-east-1", ...options }, "s3"));
    s3.middlewareStack.add(
      (next) => async (args) => {
        puts.push(args.input as PutObjectCommandInput);
        return next(args);
      },
      { step: "initialize" },
    );
    const stack = connectAwsStack(outputs, { ...options, clients: { s3 } });
    expect(stack.describe()).toBe(`aws us-east-1 bucket ${r.bucket}`);

    const record = newCampaignRecord(uniqueName("cli"), welcomeSeries, new Date("2026-12-03T10:00:00.000Z"));
    expect(await stack.campaigns.put(record, 0)).toBe(true);
    const ports = createAwsPorts(r.env, { clients: clients() });
    expect(await ports.campaigns.get(record.campaignId)).toEqual(record);

    await stack.uploadAudience(record.audienceKey, new TextEncoder().encode("subscriber_id,phone_number\n"));
    const object = await clients().s3.send(
      new GetObjectCommand({ Bucket: r.bucket, Key: record.audienceKey }),
    );
    expect(await object.Body?.transformToString()).toBe("subscriber_id,phone_number\n");
    expect(puts).toMatchObject([
      { Key: record.audienceKey, ServerSideEncryption: "aws:kms", SSEKMSKeyId: outputs.audienceKeyArn },
    ]);
    s3.destroy();
  }, 60_000);
});

if (!hasJava) {
  describe("AWS campaigns", () => {
    it.skip("skipped: Java is not installed, and DynamoDB Local (the stores' emulator) needs it", () => {});
  });
}
