import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type {
  ErasedItems,
  ErasureSubject,
  RevocationClock,
  RevocationClockStart,
  RevocationClockStore,
  RevocationVerdict,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { byOptedOutAt } from "../../../core/processing/revocation-sla";
import { deleteAll, scanAll, withoutUndefined, writeIf } from "./dynamodb-support";
import { REVOCATION_CLOCKS_BY_OPT_OUT } from "./tables";

/** The one partition of the open index: a stack holds the clocks of the last few minutes, not millions. */
const OPEN_SHARD = "open";

interface ClockItem {
  event_id: string;
  phone_number: string;
  opted_out_at: string;
  source: RevocationClock["source"];
  subscriber_id?: string;
  confirmation_expected: boolean;
  confirmed_at?: string;
  confirmation_message_id?: string;
  /** The verdict as JSON: read back whole, never queried by field. */
  verdict?: string;
  /** Present only while the clock runs: puts it in REVOCATION_CLOCKS_BY_OPT_OUT. */
  open_shard?: string;
}

const toItem = (clock: RevocationClockStart): ClockItem =>
  withoutUndefined({
    event_id: clock.eventId,
    phone_number: clock.phoneNumber,
    opted_out_at: clock.optedOutAt,
    source: clock.source,
    subscriber_id: clock.subscriberId,
    confirmation_expected: clock.confirmationExpected,
    open_shard: OPEN_SHARD,
  });

const fromItem = (item: ClockItem): RevocationClock =>
  withoutUndefined({
    eventId: item.event_id,
    phoneNumber: item.phone_number,
    optedOutAt: item.opted_out_at,
    source: item.source,
    subscriberId: item.subscriber_id,
    confirmationExpected: item.confirmation_expected,
    confirmedAt: item.confirmed_at,
    confirmationMessageId: item.confirmation_message_id,
    verdict: item.verdict === undefined ? undefined : (JSON.parse(item.verdict) as RevocationVerdict),
  });

/**
 * Revocation clocks in DynamoDB (REVOCATION_CLOCKS_TABLE). Every write is conditional, so a
 * retried start, a second confirmation or a second verdict changes nothing.
 */
export class DynamoDbRevocationClockStore implements RevocationClockStore, SubscriberEraser {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async start(clock: RevocationClockStart): Promise<"created" | "exists"> {
    const created = await writeIf(() =>
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(clock),
          ConditionExpression: "attribute_not_exists(event_id)",
        }),
      ),
    );
    return created ? "created" : "exists";
  }

  async confirm(eventId: string, confirmedAt: string, messageId?: string): Promise<void> {
    await writeIf(() =>
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { event_id: eventId },
          UpdateExpression:
            messageId === undefined
              ? "SET confirmed_at = :at"
              : "SET confirmed_at = :at, confirmation_message_id = :message",
          ConditionExpression: "attribute_exists(event_id) AND attribute_not_exists(confirmed_at)",
          ExpressionAttributeValues: {
            ":at": confirmedAt,
            ...(messageId === undefined ? {} : { ":message": messageId }),
          },
        }),
      ),
    );
  }

  async due(optedOutBefore: string, limit: number): Promise<RevocationClock[]> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: REVOCATION_CLOCKS_BY_OPT_OUT,
        KeyConditionExpression: "open_shard = :shard AND opted_out_at <= :cutoff",
        ExpressionAttributeValues: { ":shard": OPEN_SHARD, ":cutoff": optedOutBefore },
        ScanIndexForward: true,
        Limit: limit,
      }),
    );
    // The index trails the table by a moment: each clock is read again, consistently, and one
    // judged since is left out (its confirmation is current too).
    const current = await Promise.all(((Items ?? []) as ClockItem[]).map((item) => this.get(item.event_id)));
    return current.filter((clock): clock is RevocationClock => clock !== undefined && !clock.verdict);
  }

  async settle(eventId: string, verdict: RevocationVerdict): Promise<boolean> {
    return writeIf(() =>
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { event_id: eventId },
          UpdateExpression: "SET verdict = :verdict REMOVE open_shard",
          ConditionExpression: "attribute_exists(event_id) AND attribute_not_exists(verdict)",
          ExpressionAttributeValues: { ":verdict": JSON.stringify(verdict) },
        }),
      ),
    );
  }

  /** A scan: the report reads every clock, which a stack keeps in the thousands, not millions. */
  async list(): Promise<RevocationClock[]> {
    const items = await scanAll<ClockItem>(this.documents, {
      TableName: this.tableName,
      ConsistentRead: true,
    });
    return items.map(fromItem).sort(byOptedOutAt);
  }

  /**
   * Every clock of the number or one of the subject's subscriber ids, judged or running. A filtered
   * scan, as list() is: the table has no index by number, and erasure is rare.
   */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const ids = subject.subscriberIds.map((_, i) => `:s${i}`);
    const items = await scanAll<Pick<ClockItem, "event_id">>(this.documents, {
      TableName: this.tableName,
      ConsistentRead: true,
      ProjectionExpression: "event_id",
      FilterExpression:
        ids.length === 0 ? "phone_number = :p" : `phone_number = :p OR subscriber_id IN (${ids.join(", ")})`,
      ExpressionAttributeValues: {
        ":p": subject.phoneNumber,
        ...Object.fromEntries(subject.subscriberIds.map((id, i) => [`:s${i}`, id])),
      },
    });
    await deleteAll(
      this.documents,
      this.tableName,
      items.map((item) => ({ event_id: item.event_id })),
    );
    return erasedItems(
      "revocation-clocks",
      items.map((item) => item.event_id),
    );
  }

  private async get(eventId: string): Promise<RevocationClock | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { event_id: eventId }, ConsistentRead: true }),
    );
    return Item && fromItem(Item as ClockItem);
  }
}
