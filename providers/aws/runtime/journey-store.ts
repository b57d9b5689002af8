import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { JourneyState, JourneyStore } from "../../../core/ports";
import { queryAll, withoutUndefined, writeIf } from "./dynamodb-support";
import { WAITING_SHARD } from "./tables";

interface JourneyItem {
  journey_id: string;
  subscriber_id: string;
  phone_number: string;
  step_id: string;
  status: JourneyState["status"];
  wake_at?: string;
  /** Present only on waiting journeys with a wake time: that is what makes `by_wake` sparse. */
  wake_shard?: string;
  last_reply?: string;
  version: number;
  updated_at: string;
}

const toItem = (state: JourneyState): JourneyItem =>
  withoutUndefined({
    journey_id: state.journeyId,
    subscriber_id: state.subscriberId,
    phone_number: state.phoneNumber,
    step_id: state.stepId,
    status: state.status,
    wake_at: state.wakeAt,
    wake_shard: state.status === "waiting" && state.wakeAt ? WAITING_SHARD : undefined,
    last_reply: state.lastReply,
    version: state.version,
    updated_at: state.updatedAt,
  });

const fromItem = (item: JourneyItem): JourneyState =>
  withoutUndefined({
    journeyId: item.journey_id,
    subscriberId: item.subscriber_id,
    phoneNumber: item.phone_number,
    stepId: item.step_id,
    status: item.status,
    wakeAt: item.wake_at,
    lastReply: item.last_reply,
    version: item.version,
    updatedAt: item.updated_at,
  });

/** Journey progress (JOURNEYS_TABLE), written under an optimistic version condition. */
export class DynamoDbJourneyStore implements JourneyStore {
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
