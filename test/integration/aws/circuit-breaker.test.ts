/**
 * The circuit breaker with its window state in DynamoDB (DynamoDB Local): the campaign store's
 * contract with the breaker's new record fields, and pause-on-trip through the analytics consumer.
 */
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
