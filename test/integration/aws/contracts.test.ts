import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it, vi } from "vitest";
import type { Notification } from "../../../core/ports";
import { verifyChain } from "../../../core/processing/consent";
import { S3ArchiveStore } from "../../../providers/aws/runtime/archive-store";
import { createAwsPorts } from "../../../providers/aws/runtime/aws-ports";
import { DynamoDbCampaignStore } from "../../../providers/aws/runtime/campaign-store";
import { SystemClock } from "../../../providers/aws/runtime/clock";
import { DynamoDbConsentLog } from "../../../providers/aws/runtime/consent-log";
import { decodeDeadLetter, SqsDeadLetter } from "../../../providers/aws/runtime/dead-letter";
import { EumSmsSender } from "../../../providers/aws/runtime/eum-sender";
import { KinesisEventPublisher } from "../../../providers/aws/runtime/event-publisher";
import { DynamoDbJourneyStore } from "../../../providers/aws/runtime/journey-store";
import { DynamoDbMessageLog } from "../../../providers/aws/runtime/message-log";
import { EmfMetricsSink } from "../../../providers/aws/runtime/metrics-sink";
import { NOTIFICATION_ID_ATTRIBUTE, SnsNotifier } from "../../../providers/aws/runtime/notifier";
import { DynamoDbOptOutReviewStore } from "../../../providers/aws/runtime/opt-out-reviews";
import { DynamoDbOptOutStore } from "../../../providers/aws/runtime/opt-out-store";
import { DynamoDbPendingReceiptStore } from "../../../providers/aws/runtime/pending-receipts";
import { DynamoDbResponsesStore } from "../../../providers/aws/runtime/responses-store";
import { DynamoDbSendLedger } from "../../../providers/aws/runtime/send-ledger";
import { DynamoDbSubscriberDirectory } from "../../../providers/aws/runtime/subscriber-directory";
import { javaAvailable } from "../../../providers/local/emulators";
import {
  ensureBucket,
  ensureQueue,
  ensureStream,
  ensureTables,
  ensureTopic,
  subscribeQueue,
} from "../../../providers/local/emulators/provision";
import { archiveStoreContract } from "../../contracts/archive.contract";
import { campaignStoreContract } from "../../contracts/campaigns.contract";
import { clockContract } from "../../contracts/clock.contract";
import { consentLogContract, consentRecord } from "../../contracts/consent-log.contract";
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
import { subscriberDirectoryContract } from "../../contracts/subscribers.contract";
import { uniquePhone } from "../../contracts/support";
import { once, tickerTableNames, uniqueName, useAwsEmulators } from "../../emulators/aws";
import { drainQueue, emfLinesOf, parseEmf, readStream } from "../../emulators/readers";

const hasJava = javaAvailable();
const fixture = useAwsEmulators({ kinesis: true, fauxqs: true, dynamodb: hasJava });
const clients = () => fixture.clients();

const tables = once(async () => {
  const names = {
    ...tickerTableNames(),
    pendingReceipts: uniqueName("pending-receipts"),
    consentLog: uniqueName("consent-log"),
  };
  await ensureTables(clients().dynamodb, names);
  return names;
});
const bucket = once(async () => {
  const name = uniqueName("archive");
  await ensureBucket(clients().s3, name);
  return name;
});
const stream = once(async () => {
  const name = uniqueName("events");
  await ensureStream(clients().kinesis, name);
  return name;
});
const deadLetterQueue = once(() => ensureQueue(clients().sqs, uniqueName("dlq")));
/** A topic with a queue subscribed, so the notifier's output can be read back. */
const notifications = once(async () => {
  const topicArn = await ensureTopic(clients().sns, uniqueName("notifications"));
  const queue = await ensureQueue(clients().sqs, uniqueName("notified"));
  await subscribeQueue(clients().sns, topicArn, queue.arn);
  return { topicArn, queueUrl: queue.url };
});

if (hasJava) {
  responsesStoreContract("DynamoDB (DynamoDB Local)", async () => {
    return new DynamoDbResponsesStore(clients().documents, (await tables()).responses);
  });
  optOutStoreContract("DynamoDB (DynamoDB Local)", async () => {
    return new DynamoDbOptOutStore(clients().documents, (await tables()).optOuts);
  });
  sendLedgerContract("DynamoDB (DynamoDB Local)", async () => {
    return new DynamoDbSendLedger(clients().documents, (await tables()).ledger);
  });
  journeyStoreContract("DynamoDB (DynamoDB Local)", async () => {
    return new DynamoDbJourneyStore(clients().documents, (await tables()).journeys);
  });
  messageLogContract("DynamoDB (DynamoDB Local)", async () => {
    return new DynamoDbMessageLog(clients().documents, (await tables()).messages);
  });
  subscriberDirectoryContract("DynamoDB (DynamoDB Local)", async () => {
    return new DynamoDbSubscriberDirectory(clients().documents, (await tables()).subscribers);
  });
  campaignStoreContract("DynamoDB (DynamoDB Local)", async () => {
    return new DynamoDbCampaignStore(clients().documents, (await tables()).campaigns);
  });
  pendingReceiptStoreContract("DynamoDB (DynamoDB Local)", async () => {
    return new DynamoDbPendingReceiptStore(clients().documents, (await tables()).pendingReceipts);
  });
  optOutReviewStoreContract("DynamoDB (DynamoDB Local)", async () => {
    return new DynamoDbOptOutReviewStore(clients().documents, (await tables()).optOutReviews);
  });
  consentLogContract("DynamoDB (DynamoDB Local)", async () => {
    const table = (await tables()).consentLog;
    const log = new DynamoDbConsentLog(clients().documents, table);
    return {
      log,
      // Edits the stored item directly, as anyone with write access to the table could.
      tamper: async (phone, sequence, change) => {
        const attributes = Object.entries(change).map(([field, value], i) => ({
          name: `#f${i}`,
          attribute: field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
          value: `:v${i}`,
          given: value,
        }));
        await clients().documents.send(
          new UpdateCommand({
            TableName: table,
            Key: { phone_number: phone, item: `entry#${String(sequence).padStart(12, "0")}` },
            UpdateExpression: `SET ${attributes.map((a) => `${a.name} = ${a.value}`).join(", ")}`,
            ExpressionAttributeNames: Object.fromEntries(attributes.map((a) => [a.name, a.attribute])),
            ExpressionAttributeValues: Object.fromEntries(attributes.map((a) => [a.value, a.given])),
          }),
        );
        return log;
      },
    };
  });
  describe("DynamoDbMessageLog round trips (DynamoDB Local)", () => {
    const sentMessage = (n: number) => ({
      messageId: uniqueName(`msg-${n}`),
      phoneNumber: uniquePhone(),
      sentAt: "2026-11-24T10:00:00.000Z",
    });

    it("records 150 new messages in two transactions and reads them back in two batch gets", async () => {
      const log = new DynamoDbMessageLog(clients().documents, (await tables()).messages);
      const send = vi.spyOn(clients().documents, "send");
      try {
        const messages = Array.from({ length: 150 }, (_, n) => sentMessage(n));
        await log.recordAll(messages);
        const writes = send.mock.calls.map(([command]) => command.constructor.name);
        expect(writes).toEqual(["TransactWriteCommand", "TransactWriteCommand"]);
        send.mockClear();
        expect(await Promise.all(messages.map((m) => log.get(m.messageId)))).toEqual(messages);
        expect(send.mock.calls.map(([command]) => command.constructor.name)).toEqual([
          "BatchGetCommand",
          "BatchGetCommand",
        ]);
      } finally {
        send.mockRestore();
      }
    });
  });
  describe("DynamoDbPendingReceiptStore round trips (DynamoDB Local)", () => {
    it("removes 30 receipts a batch settles together in two BatchWriteItems, and they are gone", async () => {
      const store = new DynamoDbPendingReceiptStore(clients().documents, (await tables()).pendingReceipts);
      const consumer = uniqueName("consumer");
      const ids = Array.from({ length: 30 }, (_, n) => uniqueName(`evt-${n}`));
      for (const eventId of ids) {
        await store.park(
          consumer,
          {
            eventId,
            schemaVersion: 1,
            kind: "delivered",
            occurredAt: "2026-11-24T10:00:00.000Z",
            provider: "aws-eum",
          },
          "2026-11-24T10:00:00.000Z",
        );
      }
      const send = vi.spyOn(clients().documents, "send");
      try {
        await Promise.all(ids.map((eventId) => store.remove(consumer, eventId)));
        expect(send.mock.calls.map(([command]) => command.constructor.name)).toEqual([
          "BatchWriteCommand",
          "BatchWriteCommand",
        ]);
      } finally {
        send.mockRestore();
      }
      expect(await store.list(consumer, 100)).toEqual([]);
    });
  });
  describe("DynamoDbConsentLog under contention (DynamoDB Local)", () => {
    it("refuses the losing writer of a sequence instead of forking the chain, and retrying lets every append land", async () => {
      const table = (await tables()).consentLog;
      const phone = uniquePhone();
      const records = Array.from({ length: 6 }, (_, i) => consentRecord(phone, i + 1));
      const once = new DynamoDbConsentLog(clients().documents, table, { maxAttempts: 1 });
      const results = await Promise.allSettled(records.map((r) => once.append(r)));
      const refused = results.filter((r) => r.status === "rejected");
      // All six read the same chain end; the sequence condition lets one write it.
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((r) => (r.reason as Error).name === "TransactionCanceledException")).toBe(true);
      const retrying = new DynamoDbConsentLog(clients().documents, table);
      await Promise.all(records.map((r) => retrying.append(r)));
      const entries = await retrying.entriesFor(phone);
      expect(entries.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(verifyChain(entries)).toEqual({ ok: true, entries: 6 });
    });
  });
} else {
  describe("DynamoDB adapters", () => {
    it.skip("skipped: Java is not installed, and DynamoDB Local (the only local DynamoDB with TTL) needs it", () => {});
  });
}

archiveStoreContract("S3 (fauxqs)", async () => new S3ArchiveStore(clients().s3, await bucket()));
archiveStoreContract("S3 with a key prefix (fauxqs)", async () => {
  return new S3ArchiveStore(clients().s3, await bucket(), { keyPrefix: `${uniqueName("prefix")}/` });
});

deadLetterContract("SQS (fauxqs)", async () => {
  const queue = await deadLetterQueue();
  return {
    port: new SqsDeadLetter(clients().sqs, queue.url),
    read: async () => (await drainQueue(clients().sqs, queue.url)).map((m) => decodeDeadLetter(m.body)),
  };
});

notifierContract("SNS (fauxqs, read back through a subscribed SQS queue)", async () => {
  const { topicArn, queueUrl } = await notifications();
  return {
    port: new SnsNotifier(clients().sns, topicArn),
    read: async () =>
      (await drainQueue(clients().sqs, queueUrl)).map((m): Notification => {
        const envelope = JSON.parse(m.body) as {
          Subject?: string;
          Message: string;
          MessageAttributes?: Record<string, { Value: string }>;
        };
        const { [NOTIFICATION_ID_ATTRIBUTE]: id, ...attributes } = Object.fromEntries(
          Object.entries(envelope.MessageAttributes ?? {}).map(([k, v]) => [k, v.Value]),
        );
        return { id: id ?? "", subject: envelope.Subject ?? "", message: envelope.Message, attributes };
      }),
  };
});

eventPublisherContract("Kinesis (kinesis-local)", async () => {
  const streamName = await stream();
  return {
    port: new KinesisEventPublisher(clients().kinesis, streamName, new SystemClock()),
    read: () => readStream(clients().kinesis, streamName),
  };
});

metricsSinkContract("CloudWatch EMF (Powertools, read back from stdout)", () => {
  let captured = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    captured += String(chunk);
    return true;
  });
  const sink = new EmfMetricsSink({ namespace: "ContractTest" });
  return {
    port: {
      emit: async (datums) => {
        try {
          await sink.emit(datums);
        } finally {
          spy.mockRestore();
        }
      },
    },
    read: async () => emfLinesOf(captured).flatMap(parseEmf),
  };
});

clockContract("system clock", () => new SystemClock());

describe.skipIf(!hasJava)("createAwsPorts", () => {
  it("wires every port to the table, bucket, topic, queue and stream its environment variable names", async () => {
    const names = await tables();
    const env = {
      STREAM_NAME: await stream(),
      DYNAMODB_TABLE: names.responses,
      OPT_OUTS_TABLE: names.optOuts,
      OPT_OUT_REVIEWS_TABLE: names.optOutReviews,
      SEND_LEDGER_TABLE: names.ledger,
      JOURNEYS_TABLE: names.journeys,
      MESSAGE_LOG_TABLE: names.messages,
      SUBSCRIBERS_TABLE: names.subscribers,
      CAMPAIGNS_TABLE: names.campaigns,
      S3_BUCKET: await bucket(),
      SNS_TOPIC_ARN: (await notifications()).topicArn,
      DLQ_URL: (await deadLetterQueue()).url,
      HELP_TEXT: "help",
      STOP_CONFIRMATION_TEXT: "stopped",
    };
    const ports = createAwsPorts(env, { clients: clients() });
    const phone = "+14255550177";
    const eventId = uniqueName("evt");
    expect(await ports.optOuts.optOut(phone, "2026-11-24T10:00:00.000Z", eventId)).toBe(true);
    expect(await new DynamoDbOptOutStore(clients().documents, names.optOuts).isOptedOut(phone)).toBe(true);
    expect(await ports.ledger.claim(eventId, "2026-11-24T10:00:00.000Z")).toBe(true);
    expect(await new DynamoDbSendLedger(clients().documents, names.ledger).get(eventId)).toMatchObject({
      state: "pending",
    });
    expect(await ports.publisher.publish([{ partitionKey: phone, data: new Uint8Array([1]) }])).toEqual({
      failed: [],
    });
    await ports.optOutReviews?.put({
      eventId,
      phoneNumber: phone,
      text: "who is this?",
      receivedAt: "2026-11-24T10:00:00.000Z",
      optOutConfidence: 0.7,
      rule: "phrase.en.wrong-number",
    });
    expect(await new DynamoDbOptOutReviewStore(clients().documents, names.optOutReviews).isHeld(phone)).toBe(
      true,
    );
    expect(ports.sender).toBeInstanceOf(EumSmsSender);
    await ports.campaigns.addCounts(eventId, { sent: 2 });
    expect(await new DynamoDbCampaignStore(clients().documents, names.campaigns).counts(eventId)).toEqual({
      sent: 2,
    });
  });
});
