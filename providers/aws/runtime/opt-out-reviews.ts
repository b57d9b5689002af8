import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  paginateScan,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import type {
  ErasedItems,
  ErasureSubject,
  OptOutReview,
  OptOutReviewDecision,
  OptOutReviewStore,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { deleteAll, withoutUndefined } from "./dynamodb-support";
import { OPT_OUT_REVIEWS_BY_AGE } from "./tables";

/** The one partition of the pending index: a stack holds a handful of pending reviews, not millions. */
const PENDING_SHARD = "pending";

interface ReviewItem {
  item_key: string;
  event_id: string;
  phone_number: string;
  text: string;
  received_at: string;
  opt_out_confidence: number;
  rule: string;
  subscriber_id?: string;
  campaign_id?: string;
  journey_id?: string;
  status: OptOutReview["status"];
  decided_at?: string;
  /** Present only while pending: puts the review in OPT_OUT_REVIEWS_BY_AGE. */
  pending_shard?: string;
}

const reviewKey = (eventId: string) => `review#${eventId}`;
const holdKey = (phoneNumber: string) => `hold#${phoneNumber}`;

const toItem = (review: Omit<OptOutReview, "status" | "decidedAt">): ReviewItem =>
  withoutUndefined({
    item_key: reviewKey(review.eventId),
    event_id: review.eventId,
    phone_number: review.phoneNumber,
    text: review.text,
    received_at: review.receivedAt,
    opt_out_confidence: review.optOutConfidence,
    rule: review.rule,
    subscriber_id: review.subscriberId,
    campaign_id: review.campaignId,
    journey_id: review.journeyId,
    status: "pending" as const,
    pending_shard: PENDING_SHARD,
  });

const fromItem = (item: ReviewItem): OptOutReview =>
  withoutUndefined({
    eventId: item.event_id,
    phoneNumber: item.phone_number,
    text: item.text,
    receivedAt: item.received_at,
    optOutConfidence: item.opt_out_confidence,
    rule: item.rule,
    subscriberId: item.subscriber_id,
    campaignId: item.campaign_id,
    journeyId: item.journey_id,
    status: item.status,
    decidedAt: item.decided_at,
  });

/** True when a transaction lost one of its conditions: the review existed, or was decided already. */
const lostCondition = (error: unknown): boolean =>
  error instanceof TransactionCanceledException ||
  (error as { name?: string } | undefined)?.name === "TransactionCanceledException";

/**
 * The review queue in DynamoDB (OPT_OUT_REVIEWS_TABLE). A review and its number's hold item change
 * together in one transaction, conditioned on the review being new (put) or pending (decide), so
 * a replay or a second decision changes nothing.
 */
export class DynamoDbOptOutReviewStore implements OptOutReviewStore, SubscriberEraser {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(review: Omit<OptOutReview, "status" | "decidedAt">): Promise<"created" | "exists"> {
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: toItem(review),
                ConditionExpression: "attribute_not_exists(item_key)",
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: { item_key: holdKey(review.phoneNumber) },
                UpdateExpression: "ADD pending :event",
                ExpressionAttributeValues: { ":event": new Set([review.eventId]) },
              },
            },
          ],
        }),
      );
      return "created";
    } catch (error) {
      if (lostCondition(error)) return "exists";
      throw error;
    }
  }

  async get(eventId: string): Promise<OptOutReview | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { item_key: reviewKey(eventId) },
        ConsistentRead: true,
      }),
    );
    return Item && fromItem(Item as ReviewItem);
  }

  async list(limit: number): Promise<OptOutReview[]> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: OPT_OUT_REVIEWS_BY_AGE,
        KeyConditionExpression: "pending_shard = :shard",
        ExpressionAttributeValues: { ":shard": PENDING_SHARD },
        ScanIndexForward: true,
        Limit: limit,
      }),
    );
    // The index lags a decision by a moment: each listed review is read again, consistently, and
    // one decided since is left out.
    const current = await Promise.all(((Items ?? []) as ReviewItem[]).map((item) => this.get(item.event_id)));
    return current.filter((review): review is OptOutReview => review?.status === "pending");
  }

  async decide(
    eventId: string,
    decision: OptOutReviewDecision,
    at: string,
  ): Promise<OptOutReview | undefined> {
    const review = await this.get(eventId);
    if (review?.status !== "pending") return review;
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: { item_key: reviewKey(eventId) },
                UpdateExpression: "SET #status = :decision, decided_at = :at REMOVE pending_shard",
                ConditionExpression: "#status = :pending",
                ExpressionAttributeNames: { "#status": "status" },
                ExpressionAttributeValues: { ":decision": decision, ":at": at, ":pending": "pending" },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: { item_key: holdKey(review.phoneNumber) },
                UpdateExpression: "DELETE pending :event",
                ExpressionAttributeValues: { ":event": new Set([eventId]) },
              },
            },
          ],
        }),
      );
    } catch (error) {
      // Someone decided it between our read and our write: theirs stands.
      if (!lostCondition(error)) throw error;
    }
    return this.get(eventId);
  }

  /**
   * The number's reviews, decided ones too, and its hold item. Found by a filtered scan: the queue
   * holds a handful of reviews, and a decided review is in no index.
   */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const reviews: string[] = [];
    const input = {
      TableName: this.tableName,
      FilterExpression: "phone_number = :p AND begins_with(item_key, :review)",
      ExpressionAttributeValues: { ":p": subject.phoneNumber, ":review": "review#" },
      ProjectionExpression: "item_key, event_id",
      ConsistentRead: true,
    };
    for await (const page of paginateScan({ client: this.documents }, input)) {
      for (const item of page.Items ?? []) reviews.push((item as ReviewItem).event_id);
    }
    await deleteAll(this.documents, this.tableName, [
      ...reviews.map((eventId) => ({ item_key: reviewKey(eventId) })),
      { item_key: holdKey(subject.phoneNumber) },
    ]);
    return erasedItems("opt-out-reviews", reviews);
  }

  async isHeld(phoneNumber: string): Promise<boolean> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { item_key: holdKey(phoneNumber) },
        ConsistentRead: true,
        ProjectionExpression: "pending",
      }),
    );
    const pending = (Item as { pending?: Set<string> } | undefined)?.pending;
    return pending !== undefined && pending.size > 0;
  }
}
