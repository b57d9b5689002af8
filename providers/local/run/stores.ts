/**
 * The stores of the run. The functions' tables (responses, opt-outs, message log) are DynamoDB
 * Local when Java is there (the AWS adapters, against the tables the bootstrap created), otherwise
 * the in-memory adapters, which pass the same port contract suites; `engine` says which.
 *
 * The campaign sender runs in this process, as `smsctl campaign send` does, with its send ledger
 * and a snapshot of the opt-out list in memory: DynamoDB Local manages a few hundred requests a
 * second on two cores, and five more per message would triple the run. A one-time campaign texts
 * each number once, so a STOP can only arrive after that number's message: the snapshot loses nothing.
 */
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import type { MessageLog, OptOutStore, ResponsesStore, SendLedger } from "../../../core/ports";
import type { AwsClients } from "../../aws/runtime/clients";
import { DynamoDbMessageLog } from "../../aws/runtime/message-log";
import { DynamoDbOptOutStore } from "../../aws/runtime/opt-out-store";
import { DynamoDbResponsesStore } from "../../aws/runtime/responses-store";
import type { TableId } from "../../aws/runtime/tables";
import {
  MemoryMessageLog,
  MemoryOptOutStore,
  MemoryResponsesStore,
  MemorySendLedger,
} from "../runtime/memory";

export interface RunStores {
  engine: string;
  responses: ResponsesStore;
  optOuts: OptOutStore;
  messages: MessageLog;
  /** The campaign sender's exactly-once ledger and its opt-out view (see above). */
  campaignLedger: SendLedger;
  campaignOptOuts: OptOutStore;
  /** How many replies the responses store holds now. */
  countResponses(): Promise<number>;
}

export function dynamoDbStores(clients: AwsClients, tables: Record<TableId, string>): RunStores {
  return {
    engine: "DynamoDB Local (Java)",
    responses: new DynamoDbResponsesStore(clients.documents, tables.responses),
    optOuts: new DynamoDbOptOutStore(clients.documents, tables.optOuts),
    messages: new DynamoDbMessageLog(clients.documents, tables.messages),
    campaignLedger: new MemorySendLedger(),
    campaignOptOuts: new MemoryOptOutStore(),
    countResponses: async () => {
      let count = 0;
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await clients.dynamodb.send(
          new ScanCommand({
            TableName: tables.responses,
            Select: "COUNT",
            ExclusiveStartKey: startKey as never,
          }),
        );
        count += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return count;
    },
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
    campaignLedger: new MemorySendLedger(),
    campaignOptOuts: optOuts,
    countResponses: async () => responses.all().length,
  };
}
