import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type {
  ErasedItems,
  ErasureSubject,
  JourneyState,
  JourneyStore,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { type JourneyRecord, journeyRecordOf, journeyStateOf } from "../../../core/records";
import { deleteAll, queryAll, withoutUndefined, writeIf } from "./dynamodb-support";
import { WAITING_SHARD } from "./tables";

interface JourneyItem extends JourneyRecord {
  /** Present only on waiting journeys with a wake time: that is what makes `by_wake` sparse. */
  wake_shard?: string;
}

const toItem = (state: JourneyState): JourneyItem =>
  withoutUndefined({
    ...journeyRecordOf(state),
    wake_shard: state.status === "waiting" && state.wakeAt ? WAITING_SHARD : undefined,
  });

const fromItem = (item: JourneyItem): JourneyState => journeyStateOf(item);

/** Journey progress (JOURNEYS_TABLE), written under an optimistic version condition. */
export class DynamoDbJourneyStore implements JourneyStore, SubscriberEraser {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(journeyId: string, subscriberId: string): Promise<JourneyState | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { journey_id: journeyId, subscriber_id: subscriberId },
        ConsistentRead: true,
      }),
    );
    return Item ? fromItem(Item as JourneyItem) : undefined;
  }

  put(state: JourneyState, expectedVersion: number): Promise<boolean> {
    const condition =
      expectedVersion === 0
        ? { ConditionExpression: "attribute_not_exists(journey_id)" }
        : {
            ConditionExpression: "version = :expected",
            ExpressionAttributeValues: { ":expected": expectedVersion },
          };
    return writeIf(() =>
      this.documents.send(new PutCommand({ TableName: this.tableName, Item: toItem(state), ...condition })),
    );
  }

  async bySubscriber(subscriberId: string): Promise<JourneyState[]> {
    const items = await queryAll<JourneyItem>(this.documents, {
      TableName: this.tableName,
      IndexName: "by_subscriber",
      KeyConditionExpression: "subscriber_id = :s",
      FilterExpression: "#status <> :done",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":s": subscriberId, ":done": "done" },
    });
    return items.map(fromItem);
  }

  /** Every journey of the subject's subscriber ids, done ones too. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const keys: { journey_id: string; subscriber_id: string }[] = [];
    for (const subscriberId of subject.subscriberIds) {
      const items = await queryAll<JourneyItem>(this.documents, {
        TableName: this.tableName,
        IndexName: "by_subscriber",
        KeyConditionExpression: "subscriber_id = :s",
        ExpressionAttributeValues: { ":s": subscriberId },
      });
      keys.push(...items.map((item) => ({ journey_id: item.journey_id, subscriber_id: subscriberId })));
    }
    await deleteAll(this.documents, this.tableName, keys);
    return erasedItems(
      "journeys",
      keys.map((key) => `${key.journey_id}/${key.subscriber_id}`),
    );
  }

  async due(at: string, limit: number): Promise<JourneyState[]> {
    if (limit <= 0) return [];
    const page = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: "by_wake",
        KeyConditionExpression: "wake_shard = :waiting AND wake_at <= :at",
        ExpressionAttributeValues: { ":waiting": WAITING_SHARD, ":at": at },
        ScanIndexForward: true,
        Limit: limit,
      }),
    );
    return ((page.Items ?? []) as JourneyItem[]).map(fromItem);
  }
}
