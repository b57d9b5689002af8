/**
 * The table-backed stores of the run: DynamoDB Local when Java is there (the AWS adapters, against
 * the tables the bootstrap created), otherwise the in-memory adapters, which pass the same port
 * contract suites. `engine` says which one is in use, for the dashboard.
 */
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import type { MessageLog, OptOutStore, ResponsesStore, SendLedger } from "../../../core/ports";
import type { AwsClients } from "../../aws/runtime/clients";
import { DynamoDbMessageLog } from "../../aws/runtime/message-log";
import { DynamoDbOptOutStore } from "../../aws/runtime/opt-out-store";
import { DynamoDbResponsesStore } from "../../aws/runtime/responses-store";
import { DynamoDbSendLedger } from "../../aws/runtime/send-ledger";
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
  ledger: SendLedger;
  messages: MessageLog;
  /** How many replies the responses store holds now. */
  countResponses(): Promise<number>;
}

export function dynamoDbStores(clients: AwsClients, tables: Record<TableId, string>): RunStores {
  return {
    engine: "DynamoDB Local (Java)",
    responses: new DynamoDbResponsesStore(clients.documents, tables.responses),
    optOuts: new DynamoDbOptOutStore(clients.documents, tables.optOuts),
    ledger: new DynamoDbSendLedger(clients.documents, tables.ledger),
    messages: new DynamoDbMessageLog(clients.documents, tables.messages),
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
  return {
    engine: `in-memory stores (${reason})`,
    responses,
    optOuts: new MemoryOptOutStore(),
    ledger: new MemorySendLedger(),
    messages: new MemoryMessageLog(),
    countResponses: async () => responses.all().length,
  };
}
