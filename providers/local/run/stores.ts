/**
 * The stores of the run. The functions' tables (responses, opt-outs, message log, parked receipts) are DynamoDB
 * Local when Java is there (the AWS adapters, against the tables the bootstrap created), otherwise
 * the in-memory adapters, which pass the same port contract suites; `engine` says which.
 *
 * The campaign sender and the journey ticker run in this process with their send ledger, journey
 * states, subscribers, campaigns and a view of the opt-out list in memory: DynamoDB Local manages
 * a few hundred requests a second on two cores, and five more per message would triple the run.
 * The responses function writes every opt-out to its table and to that view (MirroredOptOutStore),
 * so a STOP in the middle of a journey stops the next send; it routes replies through the same
 * journey store the ticker reads.
 */
import { ScanCommand, type ScanCommandInput } from "@aws-sdk/client-dynamodb";
import type {
  CampaignStore,
  ConsentLog,
  JourneyStore,
  MessageLog,
  OptOutReviewStore,
  OptOutStore,
  PendingReceiptStore,
  ResponsesStore,
  RevocationClockStore,
  SendLedger,
  SubscriberDirectory,
} from "../../../core/ports";
import type { AwsClients } from "../../aws/runtime/clients";
import { DynamoDbConsentLog } from "../../aws/runtime/consent-log";
import { DynamoDbMessageLog } from "../../aws/runtime/message-log";
import { DynamoDbOptOutStore } from "../../aws/runtime/opt-out-store";
import { DynamoDbPendingReceiptStore } from "../../aws/runtime/pending-receipts";
import { DynamoDbResponsesStore } from "../../aws/runtime/responses-store";
import { DynamoDbRevocationClockStore } from "../../aws/runtime/revocation-clocks";
import type { TableId } from "../../aws/runtime/tables";
import {
  MemoryCampaignStore,
  MemoryJourneyStore,
  MemoryMessageLog,
  MemoryOptOutReviewStore,
  MemoryOptOutStore,
  MemoryPendingReceiptStore,
  MemoryResponsesStore,
  MemoryRevocationClockStore,
  MemorySendLedger,
  MemorySubscriberDirectory,
} from "../runtime/memory";
import { MirroredOptOutStore } from "../runtime/mirrored-opt-out-store";

export interface RunStores {
  engine: string;
  responses: ResponsesStore;
  optOuts: OptOutStore;
  messages: MessageLog;
  /** Receipts analytics and archive parked until the message log knows them. */
  pendingReceipts: PendingReceiptStore;
  /** The campaign sender's and the ticker's exactly-once ledger and their opt-out view (see above). */
  campaignLedger: SendLedger;
  campaignOptOuts: OptOutStore;
  /**
   * Replies held for opt-out review: the responses function puts them, the senders hold their
   * numbers. In memory on every run (the simulated subscribers write nothing doubtful).
   */
  optOutReviews: OptOutReviewStore;
  /** Journey states, subscribers and launched campaigns: the ticker, enrollment and reply routing share them. */
  journeys: JourneyStore;
  subscribers: SubscriberDirectory;
  campaigns: CampaignStore;
  /** Consent evidence the responses function appends to, where the run's cloud has an adapter for it. */
  consentLog?: ConsentLog;
  /** Revocation clocks: the responses function starts one per opt-out, the ticker's monitor judges them. */
  revocations: RevocationClockStore;
  /** How many replies the responses store holds now. */
  countResponses(): Promise<number>;
  /** How many numbers the functions' opt-out store holds as opted out now. */
  countOptOuts(): Promise<number>;
}

const journeyStores = () => ({
  journeys: new MemoryJourneyStore(),
  subscribers: new MemorySubscriberDirectory(),
  campaigns: new MemoryCampaignStore(),
});

/** Items of a table (those the filter keeps, when given), counted page by page. */
async function scanCount(
  clients: AwsClients,
  input: Pick<ScanCommandInput, "TableName" | "FilterExpression" | "ExpressionAttributeValues">,
): Promise<number> {
  let count = 0;
  let startKey: ScanCommandInput["ExclusiveStartKey"];
  do {
    const page = await clients.dynamodb.send(
      new ScanCommand({ ...input, Select: "COUNT", ExclusiveStartKey: startKey }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

export function dynamoDbStores(clients: AwsClients, tables: Record<TableId, string>): RunStores {
  const optOutView = new MemoryOptOutStore();
  return {
    engine: "DynamoDB Local (Java)",
    responses: new DynamoDbResponsesStore(clients.documents, tables.responses),
    optOuts: new MirroredOptOutStore(new DynamoDbOptOutStore(clients.documents, tables.optOuts), optOutView),
    messages: new DynamoDbMessageLog(clients.documents, tables.messages),
    pendingReceipts: new DynamoDbPendingReceiptStore(clients.documents, tables.pendingReceipts),
    campaignLedger: new MemorySendLedger(),
    campaignOptOuts: optOutView,
    optOutReviews: new MemoryOptOutReviewStore(),
    ...journeyStores(),
    consentLog: new DynamoDbConsentLog(clients.documents, tables.consentLog),
    revocations: new DynamoDbRevocationClockStore(clients.documents, tables.revocations),
    countResponses: () => scanCount(clients, { TableName: tables.responses }),
    countOptOuts: () =>
      scanCount(clients, {
        TableName: tables.optOuts,
        FilterExpression: "opted_out = :yes",
        ExpressionAttributeValues: { ":yes": { BOOL: true } },
      }),
  };
}

export function memoryStores(reason: string): RunStores {
  const responses = new MemoryResponsesStore();
  const optOuts = new MemoryOptOutStore();
  return {
    engine: `in-memory stores (${reason})`,
    responses,
    optOuts,
    messages: new MemoryMessageLog(),
    pendingReceipts: new MemoryPendingReceiptStore(),
    campaignLedger: new MemorySendLedger(),
    campaignOptOuts: optOuts,
    optOutReviews: new MemoryOptOutReviewStore(),
    ...journeyStores(),
    revocations: new MemoryRevocationClockStore(),
    countResponses: async () => responses.all().length,
    countOptOuts: async () => optOuts.list().length,
  };
}
