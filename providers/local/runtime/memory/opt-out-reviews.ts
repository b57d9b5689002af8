import type {
  ErasedItems,
  ErasureSubject,
  OptOutReview,
  OptOutReviewDecision,
  OptOutReviewStore,
  SubscriberEraser,
} from "../../../../core/ports";
import { concernsSubject, erasedItems } from "../../../../core/processing/erasure-subject";
import { byReceivedAt } from "../../../../core/processing/opt-out-review";

export class MemoryOptOutReviewStore implements OptOutReviewStore, SubscriberEraser {
  private readonly reviews = new Map<string, OptOutReview>();

  async put(review: Omit<OptOutReview, "status" | "decidedAt">): Promise<"created" | "exists"> {
    if (this.reviews.has(review.eventId)) return "exists";
    this.reviews.set(review.eventId, { ...review, status: "pending" });
    return "created";
  }

  async get(eventId: string): Promise<OptOutReview | undefined> {
    const review = this.reviews.get(eventId);
    return review && { ...review };
  }

  async list(limit: number): Promise<OptOutReview[]> {
    return [...this.reviews.values()]
      .filter((review) => review.status === "pending")
      .sort(byReceivedAt)
      .slice(0, limit)
      .map((review) => ({ ...review }));
  }

  async decide(
    eventId: string,
    decision: OptOutReviewDecision,
    at: string,
  ): Promise<OptOutReview | undefined> {
    const review = this.reviews.get(eventId);
    if (review?.status === "pending")
      this.reviews.set(eventId, { ...review, status: decision, decidedAt: at });
    return this.get(eventId);
  }

  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const keys = [...this.reviews.values()].filter((r) => concernsSubject(subject, r)).map((r) => r.eventId);
    for (const key of keys) this.reviews.delete(key);
    return erasedItems("opt-out-reviews", keys);
  }

  async isHeld(phoneNumber: string): Promise<boolean> {
    for (const review of this.reviews.values()) {
      if (review.status === "pending" && review.phoneNumber === phoneNumber) return true;
    }
    return false;
  }
}
