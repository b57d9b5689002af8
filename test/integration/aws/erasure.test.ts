import { paginateScan } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { eraseSubscriber } from "../../../core/processing/erasure";
import { phoneHash } from "../../../core/redact";
import { S3ArchiveStore } from "../../../providers/aws/runtime/archive-store";
import { DynamoDbConsentLog } from "../../../providers/aws/runtime/consent-log";
import { connectAwsErasure, parseAwsErasureOutputs } from "../../../providers/aws/runtime/erasure-stack";
import { DynamoDbErasureTombstones, screenErased } from "../../../providers/aws/runtime/erasure-tombstones";
import { DynamoDbJourneyStore } from "../../../providers/aws/runtime/journey-store";
import { DynamoDbMessageLog } from "../../../providers/aws/runtime/message-log";
import { DynamoDbOptOutReviewStore } from "../../../providers/aws/runtime/opt-out-reviews";
import { DynamoDbOptOutStore } from "../../../providers/aws/runtime/opt-out-store";
import { DynamoDbPendingReceiptStore } from "../../../providers/aws/runtime/pending-receipts";
import { DynamoDbResponsesStore } from "../../../providers/aws/runtime/responses-store";
import { DynamoDbRevocationClockStore } from "../../../providers/aws/runtime/revocation-clocks";
import { DynamoDbSubscriberDirectory } from "../../../providers/aws/runtime/subscriber-directory";
import { javaAvailable } from "../../../providers/local/emulators";
import { ensureBucket, ensureTables } from "../../../providers/local/emulators/provision";
import { SystemClock } from "../../../providers/local/runtime/memory";
import { consentRecord } from "../../contracts/consent-log.contract";
import { type ErasureKit, erasureContract } from "../../contracts/erasure.contract";
import { uniqueId, uniquePhone } from "../../contracts/support";
import { once, uniqueName, useAwsEmulators } from "../../emulators/aws";

const hasJava = javaAvailable();
const fixture = useAwsEmulators({ kinesis: false, fauxqs: true, dynamodb: hasJava });
const clients = () => fixture.clients();

export const erasureTables = () => ({
  responses: uniqueName("responses"),
  optOuts: uniqueName("opt-outs"),
  journeys: uniqueName("journeys"),
  messages: uniqueName("messages"),
  subscribers: uniqueName("subscribers"),
  pendingReceipts: uniqueName("pending-receipts"),
  optOutReviews: uniqueName("opt-out-reviews"),
  consentLog: uniqueName("consent-log"),
  revocations: uniqueName("revocation-clocks"),
});

const tables = once(async () => {
  const names = erasureTables();
  await ensureTables(clients().dynamodb, names);
  return names;
});
const bucket = once(async () => {
  const name = uniqueName("archive");
  await ensureBucket(clients().s3, name);
  return name;
});

/** Every item of every table, read with a scan behind the adapters (string sets as arrays). */
async function scanAll(tableNames: string[]): Promise<string> {
  const items: unknown[] = [];
  for (const TableName of tableNames) {
    for await (const page of paginateScan({ client: clients().documents }, { TableName })) {
      items.push(...(page.Items ?? []));
    }
  }
  return JSON.stringify(items, (_, value) => (value instanceof Set ? [...value] : value));
}

if (hasJava) {
  erasureContract("AWS (DynamoDB Local, S3 on fauxqs)", async (): Promise<ErasureKit> => {
    const names = await tables();
    const documents = clients().documents;
    return {
      responses: new DynamoDbResponsesStore(documents, names.responses),
      messages: new DynamoDbMessageLog(documents, names.messages),
      journeys: new DynamoDbJourneyStore(documents, names.journeys),
      subscribers: new DynamoDbSubscriberDirectory(documents, names.subscribers),
      optOuts: new DynamoDbOptOutStore(documents, names.optOuts),
      optOutReviews: new DynamoDbOptOutReviewStore(documents, names.optOutReviews),
      pendingReceipts: new DynamoDbPendingReceiptStore(documents, names.pendingReceipts),
      consentLog: new DynamoDbConsentLog(documents, names.consentLog),
      revocations: new DynamoDbRevocationClockStore(documents, names.revocations),
      // A key prefix per test: the erasure scans the whole archive it is given.
      archive: new S3ArchiveStore(clients().s3, await bucket(), { keyPrefix: `${uniqueName("erasure")}/` }),
      tombstones: new DynamoDbErasureTombstones(documents, names.optOuts),
      archiveIgnoresConditions:
        "fauxqs ignores If-Match on PutObject (real S3 enforces it); the rewrite's re-check is proven instead",
      dump: () => scanAll(Object.values(names)),
    };
  });

  describe("smsctl erase --stack on AWS (connectAwsErasure over the stack's outputs)", () => {
    it("reaches every table the outputs name and the archive bucket, and keeps the tombstone in the opt-outs table", async () => {
      const names = await tables();
      const outputs = {
        cloud: "aws",
        region: "us-east-1",
        archiveBucket: await bucket(),
        tables: { ...names, ledger: "unused", campaigns: "unused" },
        streamName: "unused",
      };
      const stack = connectAwsErasure(outputs, {
        clients: { documents: clients().documents, s3: clients().s3 },
      });
      const documents = clients().documents;
      const phone = uniquePhone();
      const subscriberId = uniqueId("sub");
      await new DynamoDbSubscriberDirectory(documents, names.subscribers).upsert({
        subscriberId,
        phoneNumber: phone,
        attributes: {},
      });
      await new DynamoDbOptOutStore(documents, names.optOuts).optOut(
        phone,
        "2026-11-24T10:00:00.000Z",
        uniqueId("evt"),
      );
      await new DynamoDbConsentLog(documents, names.consentLog).append(consentRecord(phone, 1));
      await new DynamoDbRevocationClockStore(documents, names.revocations).start({
        eventId: uniqueId("stop"),
        phoneNumber: phone,
        optedOutAt: "2026-11-24T10:00:00.000Z",
        source: "reply_keyword",
        subscriberId,
        confirmationExpected: true,
      });
      await new DynamoDbMessageLog(documents, names.messages).record({
        messageId: uniqueId("msg"),
        phoneNumber: phone,
        sentAt: "2026-11-24T10:00:00.000Z",
        subscriberId,
      });
      const salt = "stack-salt-0123456789abcdef";
      const { receipt } = await eraseSubscriber(phone, { ...stack.deps, clock: new SystemClock() }, salt);
      expect(stack.describe()).toBe(`aws us-east-1 bucket ${outputs.archiveBucket}`);
      const removed = Object.fromEntries(receipt.stores.map((s) => [s.store, s.removed]));
      expect(removed).toMatchObject({
        subscribers: 1,
        "opt-outs": 1,
        "consent-log": 1,
        "message-log": 1,
        "revocation-clocks": 1,
      });
      expect(await scanAll(Object.values(names))).not.toContain(phone.slice(1));
      expect(
        await new DynamoDbErasureTombstones(documents, names.optOuts).get(phoneHash(phone, salt)),
      ).toMatchObject({
        consent: { entries: 1 },
        removed: receipt.removed,
      });
    });

    it("screens a function's ports with the salt in its environment, and leaves them alone without it", async () => {
      const names = await tables();
      const documents = clients().documents;
      const phone = uniquePhone();
      const salt = "function-salt-0123456789abcdef";
      await new DynamoDbErasureTombstones(documents, names.optOuts).put({
        phoneHash: phoneHash(phone, salt),
        erasedAt: "2026-11-24T10:00:00.000Z",
      });
      const optOuts = new DynamoDbOptOutStore(documents, names.optOuts);
      const screened = screenErased({ optOuts }, documents, names.optOuts, salt);
      expect(await screened.erasures?.isErased(phone)).toBe(true);
      expect(await screened.optOuts.isOptedOut(phone)).toBe(true);
      expect(await screened.optOuts.optOut(phone, "2026-11-25T10:00:00.000Z", uniqueId("stop"))).toBe(false);
      expect(await optOuts.isOptedOut(phone)).toBe(false);
      expect(await screened.erasures?.isErased(uniquePhone())).toBe(false);
      const unsalted = screenErased({ optOuts }, documents, names.optOuts, undefined);
      expect(unsalted).toEqual({ optOuts });
    });

    it("names the missing output in one line", () => {
      expect(() => parseAwsErasureOutputs({ region: "eu-west-1", archiveBucket: "b", tables: {} })).toThrow(
        /^AWS stack outputs: "tables.responses" is missing or invalid/,
      );
    });
  });
} else {
  describe("AWS erasure", () => {
    it.skip("skipped: Java is not installed, and DynamoDB Local needs it", () => {});
  });
}
