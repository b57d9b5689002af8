/**
 * The circuit breaker with its window state in DynamoDB (DynamoDB Local): the campaign store's
 * contract with the breaker's new record fields, and pause-on-trip through the analytics consumer.
 */
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { expect, it } from "vitest";
import { DynamoDbCampaignStore } from "../../../providers/aws/runtime/campaign-store";
import { javaAvailable } from "../../../providers/local/emulators";
import { ensureTables } from "../../../providers/local/emulators/provision";
import { campaignStoreContract } from "../../contracts/campaigns.contract";
import { circuitBreakerContract } from "../../contracts/circuit-breaker.contract";
import { once, uniqueName, useAwsEmulators } from "../../emulators/aws";

if (!javaAvailable()) throw new Error("DynamoDB Local needs Java: install a JRE to run this test");

const fixture = useAwsEmulators({ dynamodb: true });
const table = once(async () => {
  const campaigns = uniqueName("campaigns");
  await ensureTables(fixture.clients().dynamodb, { campaigns });
  return campaigns;
});
const makeStore = async () => new DynamoDbCampaignStore(fixture.clients().documents, await table());

campaignStoreContract("DynamoDB (DynamoDB Local)", makeStore);
circuitBreakerContract("DynamoDB (DynamoDB Local)", makeStore);

it("gives an expiring counters item the table's TTL attribute, in epoch seconds, and the record none", async () => {
  const store = await makeStore();
  const id = "ttl-check#breaker#2026-12-03T10";
  await store.addCounts(
    id,
    { "breaker:2026-12-03T10:05:receipts": 1 },
    { expiresAt: new Date("2026-12-10T11:00:00Z") },
  );
  const { Item } = await fixture
    .clients()
    .documents.send(new GetCommand({ TableName: await table(), Key: { campaign_id: id, item: "counters" } }));
  expect(Item?.ttl).toBe(Date.parse("2026-12-10T11:00:00Z") / 1000);
  expect(await store.counts(id)).toEqual({ "breaker:2026-12-03T10:05:receipts": 1 });
});
