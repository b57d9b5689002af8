import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { SendLedger, SendLedgerState } from "../../../core/ports";
import { writeIf } from "./dynamodb-support";

interface LedgerItem {
  ledger_key: string;
  state: SendLedgerState["state"];
  at: string;
  message_id?: string;
  reason?: string;
}

const fromItem = (item: LedgerItem): SendLedgerState => {
  switch (item.state) {
    case "sent":
      return { state: "sent", at: item.at, messageId: item.message_id ?? "" };
    case "skipped":
      return { state: "skipped", at: item.at, reason: item.reason ?? "" };
    default:
      return { state: "pending", at: item.at };
  }
};

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
    const item: LedgerItem =
      state.state === "sent"
        ? { ledger_key: key, state: "sent", at: state.at, message_id: state.messageId }
        : { ledger_key: key, state: "skipped", at: state.at, reason: state.reason };
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async get(key: string): Promise<SendLedgerState | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { ledger_key: key }, ConsistentRead: true }),
    );
    return Item ? fromItem(Item as LedgerItem) : undefined;
  }
}
