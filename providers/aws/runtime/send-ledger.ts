import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { SendLedger, SendLedgerState } from "../../../core/ports";
import { type LedgerRecord, ledgerRecordOf, ledgerStateOf } from "../../../core/records";
import { writeIf } from "./dynamodb-support";

interface LedgerItem extends LedgerRecord {
  ledger_key: string;
}

/** One send per key (SEND_LEDGER_TABLE): claim is a put conditioned on the key being new. */
export class DynamoDbSendLedger implements SendLedger {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  claim(key: string, at: string): Promise<boolean> {
    const item: LedgerItem = { ledger_key: key, state: "pending", at };
    return writeIf(() =>
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: "attribute_not_exists(ledger_key)",
        }),
      ),
    );
  }

  async settle(key: string, state: Exclude<SendLedgerState, { state: "pending" }>): Promise<void> {
    const item: LedgerItem = { ledger_key: key, ...ledgerRecordOf(state) };
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async get(key: string): Promise<SendLedgerState | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { ledger_key: key }, ConsistentRead: true }),
    );
    return Item ? ledgerStateOf(Item as LedgerItem) : undefined;
  }
}
