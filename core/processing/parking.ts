/**
 * Receipts that arrive before their queued event by more than the attribution retries are parked,
 * not processed as unattributed at once. Each later batch first sweeps the consumer's oldest
 * parked receipts: one whose message the batch itself or the log now knows is processed as
 * attributed; one parked longer than the max age is processed as unattributed (never dropped);
 * the rest wait. Concurrent batches sweep the same oldest receipts, so a batch processes a swept
 * one only after it won the receipt's claim. Parked receipts are removed only after the batch was
 * processed, so a crash processes them again once the claim lapses rather than losing them.
 */
import type { SmsEvent } from "../events/schema";
import type { Clock, MessageLog, ParkedReceipt, PendingReceiptStore, Ports, ReceiptClaim } from "../ports";
import { type AttributedBatch, type AttributionOptions, attributeBatch } from "./attribution";
import { batchIdOf } from "./batch-id";

/** How long a parked receipt waits for its message before it is counted as unattributed. */
export const PARKED_RECEIPT_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Parked receipts looked at per batch: bounds the sweep's reads whatever the backlog. */
export const PARKED_SWEEP_LIMIT = 100;
/**
 * How long a store keeps a parked receipt at most (its TTL): far beyond the max age, only a
 * backstop for a consumer that stopped running, so a live consumer always resolves first.
 */
export const PARKED_RECEIPT_TTL_SECONDS = 30 * 24 * 60 * 60;
/**
 * How long a batch holds the parked receipts it swept: far beyond a batch's run (the functions
 * time out within minutes), so a claim lapses only when its batch died.
 */
export const PARKED_CLAIM_MS = 15 * 60 * 1000;

export interface ParkingOptions {
  store: PendingReceiptStore;
  /** "analytics", "archive": each consumer resolves its own parked receipts. */
  consumer: string;
  maxAgeMs?: number;
  sweepLimit?: number;
}

/** Options of a consumer that parks receipts it cannot attribute yet (see parking.ts). */
export interface ParkingSettings {
  /** How long a parked receipt waits for its message (default PARKED_RECEIPT_MAX_AGE_MS). */
  parkedMaxAgeMs?: number;
}

/** The consumers that park receipts (analytics.ts, archive.ts): an erasure looks in each one's receipts. */
export const PARKING_CONSUMERS = ["analytics", "archive"] as const;

/** The parking of one consumer, when its ports include a PendingReceiptStore. */
export const parkingOf = (
  consumer: string,
  ports: Partial<Pick<Ports, "pendingReceipts">>,
  settings: ParkingSettings,
): ParkingOptions | undefined =>
  ports.pendingReceipts && {
    store: ports.pendingReceipts,
    consumer,
    ...(settings.parkedMaxAgeMs === undefined ? {} : { maxAgeMs: settings.parkedMaxAgeMs }),
  };

export interface ResolvedBatch extends AttributedBatch {
  /**
   * Parks the batch's receipts still unknown, then removes the parked receipts this batch
   * processed. Call it after the batch's output was written, never before.
   */
  settle(): Promise<void>;
}

const noParking = async () => {};

/** The batch's own queued/sent events: they resolve parked receipts without a read. */
const announcements = (events: SmsEvent[]) => events.filter((e) => e.kind === "queued" || e.kind === "sent");

/**
 * attributeBatch, plus parking when `parking` is given: the returned events are the batch minus
 * its newly parked receipts, plus the parked receipts resolved or expired now; `unattributed`
 * lists only the expired ones. Without `parking`, exactly attributeBatch.
 */
export async function attributeWithParking(
  events: SmsEvent[],
  messages: MessageLog,
  attribution: AttributionOptions,
  parking: ParkingOptions | undefined,
): Promise<ResolvedBatch> {
  if (parking === undefined)
    return { ...(await attributeBatch(events, messages, attribution)), settle: noParking };
  const { store, consumer } = parking;
  const parked = await store.list(consumer, parking.sweepLimit ?? PARKED_SWEEP_LIMIT);
  const current = await attributeBatch(events, messages, attribution);
  const now = nowOf(attribution.clock);
  const expired = isExpired(now, parking.maxAgeMs ?? PARKED_RECEIPT_MAX_AGE_MS);

  // A retried batch may carry receipts it parked on its first attempt: the batch's copy decides.
  const parkedAtById = new Map(parked.map((p) => [p.event.eventId, p.parkedAt]));
  const inBatch = new Set(events.map((e) => e.eventId));
  const swept = parked.filter((p) => !inBatch.has(p.event.eventId));
  const sweep = await attributeBatch([...announcements(events), ...swept.map((p) => p.event)], messages);

  const out: SmsEvent[] = [];
  const unattributed = new Set<string>();
  const toPark: SmsEvent[] = [];
  const toRemove: string[] = [];
  for (const event of current.events) {
    const parkedAt = parkedAtById.get(event.eventId);
    if (current.unattributed.has(event.eventId) && !(parkedAt && expired(parkedAt))) {
      toPark.push(event);
      continue;
    }
    if (current.unattributed.has(event.eventId)) unattributed.add(event.eventId);
    if (parkedAt) toRemove.push(event.eventId);
    out.push(event);
  }
  const sweptById = new Map(sweep.events.map((e) => [e.eventId, e]));
  const due = swept.filter((p) => !sweep.unattributed.has(p.event.eventId) || expired(p.parkedAt));
  const claimant = batchIdOf(events.map((e) => e.eventId));
  for (const { event } of await claimed(store, consumer, due, { claimant, now })) {
    if (sweep.unattributed.has(event.eventId)) unattributed.add(event.eventId);
    out.push(sweptById.get(event.eventId) ?? event);
    toRemove.push(event.eventId);
  }

  const settle = async () => {
    const parkedAt = now.toISOString();
    await Promise.all(toPark.map((event) => store.park(consumer, event, parkedAt)));
    await Promise.all(toRemove.map((eventId) => store.remove(consumer, eventId)));
  };
  return { events: out, unattributed, known: new Map([...sweep.known, ...current.known]), settle };
}

/** The swept receipts this batch won the claim of; the others belong to a concurrent batch. */
async function claimed(
  store: PendingReceiptStore,
  consumer: string,
  due: ParkedReceipt[],
  { claimant, now }: { claimant: string; now: Date },
): Promise<ParkedReceipt[]> {
  const claim = {
    claimant,
    now: now.toISOString(),
    until: new Date(now.getTime() + PARKED_CLAIM_MS).toISOString(),
  };
  const won = await Promise.all(due.map((p) => store.claim(consumer, p.event.eventId, claim)));
  return due.filter((_, index) => won[index]);
}

/** Whether an existing claim keeps `next` out: another claimant's, not lapsed at `next.now`. */
export const claimHolds = (
  held: { claimant?: string; until?: string } | undefined,
  next: Pick<ReceiptClaim, "claimant" | "now">,
): boolean =>
  held?.until !== undefined &&
  held.claimant !== next.claimant &&
  Date.parse(held.until) > Date.parse(next.now);

const nowOf = (clock: Clock | undefined) => clock?.now() ?? new Date();

const isExpired = (now: Date, maxAgeMs: number) => (parkedAt: ParkedReceipt["parkedAt"]) =>
  now.getTime() - Date.parse(parkedAt) >= maxAgeMs;
