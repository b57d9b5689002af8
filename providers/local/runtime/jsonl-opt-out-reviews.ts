import type { OptOutReview, OptOutReviewDecision, OptOutReviewStore } from "../../../core/ports";
import { JsonlFile } from "./jsonl-file";
import { MemoryOptOutReviewStore } from "./memory/opt-out-reviews";

type ReviewLine =
  | { op: "put"; review: Omit<OptOutReview, "status" | "decidedAt"> }
  | { op: "decide"; eventId: string; decision: OptOutReviewDecision; at: string };

/**
 * The opt-out review queue in one append-only JSON-lines file in the CLI's state directory, so a
 * reply held by `smsctl journey reply` is listed, accepted or rejected by a later `smsctl review`.
 * Rules are the in-memory store's; only calls that change something are written.
 */
export class JsonlOptOutReviewStore implements OptOutReviewStore {
  private readonly memory = new MemoryOptOutReviewStore();
  private readonly file: JsonlFile<ReviewLine>;

  private constructor(readonly path: string) {
    this.file = new JsonlFile(path);
  }

  static async open(path: string): Promise<JsonlOptOutReviewStore> {
    const lines = JsonlFile.read<ReviewLine>(path);
    const store = new JsonlOptOutReviewStore(path);
    for (const line of lines) {
      if (line.op === "put") await store.memory.put(line.review);
      else await store.memory.decide(line.eventId, line.decision, line.at);
    }
    return store;
  }

  async put(review: Omit<OptOutReview, "status" | "decidedAt">): Promise<"created" | "exists"> {
    const result = await this.memory.put(review);
    if (result === "created") this.file.append({ op: "put", review });
    return result;
  }

  get(eventId: string): Promise<OptOutReview | undefined> {
    return this.memory.get(eventId);
  }

  list(limit: number): Promise<OptOutReview[]> {
    return this.memory.list(limit);
  }

  async decide(
    eventId: string,
    decision: OptOutReviewDecision,
    at: string,
  ): Promise<OptOutReview | undefined> {
    const before = await this.memory.get(eventId);
    const after = await this.memory.decide(eventId, decision, at);
    if (before?.status === "pending" && after?.status === decision) {
      this.file.append({ op: "decide", eventId, decision, at });
    }
    return after;
  }

  isHeld(phoneNumber: string): Promise<boolean> {
    return this.memory.isHeld(phoneNumber);
  }

  close(): void {
    this.file.close();
  }
}
