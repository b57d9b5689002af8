import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { ErasedItems, ErasureSubject, OptOutStore, SubscriberEraser } from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { writeIf } from "./dynamodb-support";

/**
 * Opt-outs in DynamoDB, one item per number (OPT_OUTS_TABLE). Both transitions are conditional
 * updates, so exactly one STOP confirms; a retry of the very event that opted the number out
 * still answers true, so its confirmation is not lost when the first attempt failed after writing.
 */
export class DynamoDbOptOutStore implements OptOutStore, SubscriberEraser {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  optOut(phoneNumber: string, at: string, sourceEventId: string): Promise<boolean> {
    return writeIf(() =>
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { phone_number: phoneNumber },
          UpdateExpression: "SET opted_out = :yes, opted_out_at = :at, source_event_id = :event",
          ConditionExpression:
            "attribute_not_exists(phone_number) OR opted_out = :no OR source_event_id = :event",
          ExpressionAttributeValues: { ":yes": true, ":no": false, ":at": at, ":event": sourceEventId },
        }),
      ),
    );
  }

  optIn(phoneNumber: string): Promise<boolean> {
    return writeIf(() =>
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { phone_number: phoneNumber },
          UpdateExpression: "SET opted_out = :no",
          ConditionExpression: "opted_out = :yes",
          ExpressionAttributeValues: { ":yes": true, ":no": false },
        }),
      ),
    );
  }

  /** The number's item goes; its erasure tombstone keeps it suppressed (DynamoDbErasureTombstones). */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const { Attributes } = await this.documents.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { phone_number: subject.phoneNumber },
        ReturnValues: "ALL_OLD",
      }),
    );
    return erasedItems("opt-outs", Attributes ? [subject.phoneNumber] : []);
  }

  async isOptedOut(phoneNumber: string): Promise<boolean> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { phone_number: phoneNumber }, ConsistentRead: true }),
    );
    return Item?.["opted_out"] === true;
  }
}
