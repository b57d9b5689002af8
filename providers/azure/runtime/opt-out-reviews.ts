import type { Container } from "@azure/cosmos";
import type {
  ErasedItems,
  ErasureSubject,
  OptOutReview,
  OptOutReviewDecision,
  OptOutReviewStore,
  SubscriberEraser,
} from "../../../core/ports";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { byReceivedAt } from "../../../core/processing/opt-out-review";
import {
  type CosmosSystemFields,
  cosmosId,
  deleteWhere,
  isConflict,
  queryAll,
  withoutUndefined,
  writeIf,
} from "./cosmos-support";

interface ReviewItem {
  id: string;
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
}

const toItem = (review: Omit<OptOutReview, "status" | "decidedAt">): ReviewItem =>
  withoutUndefined({
    id: cosmosId(review.eventId),
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

/**
 * The review queue in Cosmos DB (OPT_OUT_REVIEWS_CONTAINER), one item per held reply, partitioned
 * by /phone_number: isHeld() is one query inside the number's own partition, which a send makes
 * just before it goes. put() is a create (409 = a replay); decide() a replace under the read etag
 * (412 = someone decided first, whose decision stands).
 */
export class CosmosOptOutReviewStore implements OptOutReviewStore, SubscriberEraser {
  constructor(private readonly container: Container) {}

  async put(review: Omit<OptOutReview, "status" | "decidedAt">): Promise<"created" | "exists"> {
    try {
      await this.container.items.create(toItem(review));
      return "created";
    } catch (error) {
      if (isConflict(error)) return "exists";
      throw error;
    }
  }

  /** By event id alone: the reviewer does not pass the number, so this one query crosses partitions. */
  private async find(eventId: string): Promise<(ReviewItem & CosmosSystemFields) | undefined> {
    const [item] = await queryAll<ReviewItem & CosmosSystemFields>(
      this.container,
      "SELECT * FROM c WHERE c.event_id = @eventId",
      [{ name: "@eventId", value: eventId }],
    );
    return item;
  }

  async get(eventId: string): Promise<OptOutReview | undefined> {
    const item = await this.find(eventId);
    return item && fromItem(item);
  }

  async list(limit: number): Promise<OptOutReview[]> {
    // Sorted here: a cross-partition ORDER BY is not something every Cosmos (the emulator) serves.
    const items = await queryAll<ReviewItem>(this.container, "SELECT * FROM c WHERE c.status = @pending", [
      { name: "@pending", value: "pending" },
    ]);
    return items.map(fromItem).sort(byReceivedAt).slice(0, limit);
  }

  async decide(
    eventId: string,
    decision: OptOutReviewDecision,
    at: string,
  ): Promise<OptOutReview | undefined> {
    for (;;) {
      const current = await this.find(eventId);
      if (current?.status !== "pending") return current && fromItem(current);
      const { _rid, _self, _etag, _attachments, _ts, ...item } = current;
      const decided: ReviewItem = { ...item, status: decision, decided_at: at };
      const written = await writeIf(() =>
        this.container
          .item(current.id, current.phone_number)
          .replace(decided, { accessCondition: { type: "IfMatch", condition: _etag ?? "" } }),
      );
      if (written) return fromItem(decided);
      // Someone decided it between our read and our write: read again and return theirs.
    }
  }

  async isHeld(phoneNumber: string): Promise<boolean> {
    const pending = await queryAll<string>(
      this.container,
      "SELECT VALUE c.id FROM c WHERE c.phone_number = @phone AND c.status = @pending",
      [
        { name: "@phone", value: phoneNumber },
        { name: "@pending", value: "pending" },
      ],
      phoneNumber,
    );
    return pending.length > 0;
  }

  /** The number's partition: its reviews, decided ones too. */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const items = await deleteWhere<{ id: string; event_id: string }>(
      this.container,
      "phone_number",
      "c.phone_number = @p",
      [{ name: "@p", value: subject.phoneNumber }],
    );
    return erasedItems(
      "opt-out-reviews",
      items.map((item) => item.event_id),
    );
  }
}
