/**
 * Consent evidence: each phone number's opt-ins and opt-outs form their own hash chain. An entry's
 * hash covers its every field and the hash of the entry before it, so changing, removing or
 * reordering any stored entry breaks the chain from that entry on, and verifyChain names it.
 */
import { createHash } from "node:crypto";
import type { ConsentEntry, ConsentRecord } from "../ports";

/** The previousHash of a number's first entry. */
export const CONSENT_GENESIS_HASH = "0".repeat(64);

/** Bumped if the hashed fields ever change, so old chains still verify under their own version. */
const HASH_VERSION = "consent-v1";

/**
 * The bytes an entry's hash covers: a JSON array in a fixed field order, so the same entry always
 * gives the same text whatever order its object's keys were read in (canonical by construction).
 */
export const canonicalConsentText = (
  entry: ConsentRecord & Pick<ConsentEntry, "sequence" | "previousHash">,
): string =>
  JSON.stringify([
    HASH_VERSION,
    entry.phoneNumber,
    entry.sequence,
    entry.action,
    entry.source,
    entry.wording,
    entry.at,
    entry.eventId,
    entry.previousHash,
  ]);

export const consentHashOf = (
  entry: ConsentRecord & Pick<ConsentEntry, "sequence" | "previousHash">,
): string => createHash("sha256").update(canonicalConsentText(entry), "utf8").digest("hex");

/** The entry that follows `previous` (undefined: the number's first entry) in the number's chain. */
export function nextConsentEntry(record: ConsentRecord, previous: ConsentEntry | undefined): ConsentEntry {
  const chained = {
    phoneNumber: record.phoneNumber,
    action: record.action,
    source: record.source,
    wording: record.wording,
    at: record.at,
    eventId: record.eventId,
    sequence: (previous?.sequence ?? 0) + 1,
    previousHash: previous?.hash ?? CONSENT_GENESIS_HASH,
  };
  return { ...chained, hash: consentHashOf(chained) };
}

export type ChainVerdict =
  | { ok: true; entries: number }
  | {
      ok: false;
      /** Position (0-based) of the first entry that does not hold. */
      index: number;
      /** Its stated sequence number and causing event, to name it to the operator. */
      sequence: number | undefined;
      eventId: string | undefined;
      reason: string;
    };

/** Why the entry at `index` breaks the chain, or undefined when it holds. */
function breakOf(entries: readonly ConsentEntry[], index: number): string | undefined {
  const entry = entries[index] as ConsentEntry;
  const previous = index > 0 ? entries[index - 1] : undefined;
  if (entry.sequence !== index + 1) return `sequence ${entry.sequence} where ${index + 1} was expected`;
  if (previous && entry.phoneNumber !== previous.phoneNumber) return "belongs to another number's chain";
  const expectedPrevious = previous?.hash ?? CONSENT_GENESIS_HASH;
  if (entry.previousHash !== expectedPrevious) return "its previousHash is not the hash of the entry before";
  if (entry.hash !== consentHashOf(entry))
    return "its hash does not match its content (the entry was altered)";
  return undefined;
}

/** Checks one number's entries, in stored order; names the first that breaks the chain. */
export function verifyChain(entries: readonly ConsentEntry[]): ChainVerdict {
  for (let index = 0; index < entries.length; index++) {
    const reason = breakOf(entries, index);
    if (reason !== undefined) {
      const entry = entries[index] as Partial<ConsentEntry>;
      return { ok: false, index, sequence: entry.sequence, eventId: entry.eventId, reason };
    }
  }
  return { ok: true, entries: entries.length };
}

/** What an append needs from a store whose only guard against a race is a create that fails if the key exists. */
export interface ChainStore {
  /** The entry the event already made for the number, if any. */
  entryOfEvent(phoneNumber: string, eventId: string): Promise<ConsentEntry | undefined>;
  /** The number's entry with the highest sequence, if any. */
  lastEntry(phoneNumber: string): Promise<ConsentEntry | undefined>;
  /**
   * Stores the entry only if neither its sequence nor its event is taken for the number; false
   * when one is (a concurrent append won), any other failure thrown.
   */
  create(entry: ConsentEntry): Promise<boolean>;
}

export interface ChainRetry {
  /** Attempts before giving up on a very contended number (default 25). */
  maxAttempts?: number;
  /** Upper bound of the random pause between attempts, in ms (default 50). */
  maxBackoffMs?: number;
}

/**
 * Appends at the end of the number's chain, idempotent on the event: reads the end, creates the
 * next entry conditionally, and on a lost race reads again (the winner may have been this very
 * event, retried). Two appends can never both take one sequence, so the chain cannot fork.
 */
export async function appendToChain(
  store: ChainStore,
  record: ConsentRecord,
  retry: ChainRetry = {},
): Promise<ConsentEntry> {
  const maxAttempts = retry.maxAttempts ?? 25;
  for (let attempt = 1; ; attempt++) {
    const existing = await store.entryOfEvent(record.phoneNumber, record.eventId);
    if (existing) return existing;
    const entry = nextConsentEntry(record, await store.lastEntry(record.phoneNumber));
    if (await store.create(entry)) return entry;
    if (attempt >= maxAttempts)
      throw new Error(`consent log: gave up appending after ${attempt} lost races on one number`);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * (retry.maxBackoffMs ?? 50)));
  }
}

/**
 * A number's anchored head: the sequence and hash of its last entry, kept apart from the chain. The
 * chain alone cannot show that its last entries were removed (what remains still verifies), nor a
 * last entry rewritten with a recomputed hash (no later entry refers to it); the head can.
 */
export interface ConsentHead {
  phoneNumber: string;
  sequence: number;
  hash: string;
}

/** The head to anchor after appending `entry`. */
export const headOf = (entry: ConsentEntry): ConsentHead => ({
  phoneNumber: entry.phoneNumber,
  sequence: entry.sequence,
  hash: entry.hash,
});

/**
 * Checks a verified chain against its anchored head: the entry at the head's sequence must be
 * there and carry the head's hash. Entries after it are accepted (an append whose anchor was not
 * yet written when it crashed); the chain itself vouches for them.
 */
export function verifyHead(entries: readonly ConsentEntry[], head: ConsentHead): ChainVerdict {
  const anchored = entries[head.sequence - 1];
  if (!anchored) {
    const last = entries.at(-1);
    return {
      ok: false,
      index: entries.length,
      sequence: head.sequence,
      eventId: undefined,
      reason: `the chain ends at sequence ${last?.sequence ?? 0} but its anchored head is sequence ${head.sequence}: entries were removed`,
    };
  }
  if (anchored.hash !== head.hash) {
    return {
      ok: false,
      index: head.sequence - 1,
      sequence: anchored.sequence,
      eventId: anchored.eventId,
      reason: "its hash is not the anchored head's (the entry was replaced)",
    };
  }
  return { ok: true, entries: entries.length };
}
