/**
 * Erasing a subscriber (the right to erasure): everything personal about one number is removed
 * from every store that holds it and from the archive's rows, and a salted-hash tombstone is kept,
 * so the number stays suppressed (erasure-guard.ts) and the erasure can be proven without the
 * number. The tombstone is written first, so nothing written while the erasure runs can slip past
 * it, then completed with the receipt's hash.
 *
 * Consent evidence: a chain's hashes cover the number, so it cannot be kept with the number
 * replaced. Its length and head hash go into the tombstone, and its entries are erased with the
 * rest: an export taken before (`smsctl consent`) still verifies, and its last hash matches the
 * tombstone's.
 */
import { createHash } from "node:crypto";
import type {
  Clock,
  ConsentLog,
  ErasedItems,
  ErasureSubject,
  ErasureTombstone,
  ErasureTombstoneStore,
  RewritableArchive,
  SubscriberDirectory,
  SubscriberEraser,
} from "../ports";
import { maskPhone, phoneHash, redactText } from "../redact";
import { eraseFromArchive } from "./archive-erasure";

export { concernsSubject, erasedItems } from "./erasure-subject";

import { verifyChain } from "./consent";

export interface ErasureDeps {
  /** Resolves the number to its subscriber (the ids the subject's other items are keyed by). */
  subscribers: SubscriberDirectory;
  /** Every store that holds personal data, each able to erase a subject. */
  stores: SubscriberEraser[];
  /** Read before erasure for the chain's head (its entries are erased by its own SubscriberEraser). */
  consentLog?: ConsentLog;
  archive?: RewritableArchive;
  tombstones: ErasureTombstoneStore;
  clock: Clock;
}

/** A deployed stack's stores, as `smsctl erase --stack` reaches them (one connector per cloud). */
export interface ErasureStack {
  /** The cloud and where: "aws eu-west-1 bucket sms-archive-1a2b", for the CLI's first line. */
  describe(): string;
  deps: Omit<ErasureDeps, "clock">;
  /** Releases the clients (a Firestore client keeps its channel, a Cosmos client its refresher). */
  close?(): Promise<void>;
}

/** What `smsctl erase` prints: what was removed and where, the number masked. */
export interface ErasureReceipt {
  phone: string;
  phoneHash: string;
  erasedAt: string;
  subscriberIds: number;
  consent?: ErasureTombstone["consent"] & { verified: boolean };
  stores: ErasedItems[];
  /** Archive files read to find the rows. */
  archiveFilesScanned?: number;
  removed: number;
}

/** SHA-256 of the receipt as printed (canonical JSON): the tombstone keeps it as the proof. */
export const receiptHashOf = (receipt: ErasureReceipt): string =>
  createHash("sha256").update(JSON.stringify(receipt), "utf8").digest("hex");

async function consentHeadOf(
  log: ConsentLog | undefined,
  phone: string,
): Promise<ErasureReceipt["consent"] | undefined> {
  const entries = log ? await log.entriesFor(phone) : [];
  const head = entries.at(-1);
  if (!head) return undefined;
  return { entries: entries.length, headHash: head.hash, verified: verifyChain(entries).ok };
}

export async function eraseSubscriber(
  phoneNumber: string,
  deps: ErasureDeps,
  salt: string,
): Promise<{ receipt: ErasureReceipt; tombstone: ErasureTombstone }> {
  const hash = phoneHash(phoneNumber, salt);
  const erasedAt = deps.clock.now().toISOString();
  const subscriber = await deps.subscribers.findByPhone(phoneNumber);
  const subject: ErasureSubject = { phoneNumber, subscriberIds: subscriber ? [subscriber.subscriberId] : [] };
  const consent = await consentHeadOf(deps.consentLog, phoneNumber);
  // A rerun finds the chain gone: the first run's tombstone still holds its head.
  const previous = await deps.tombstones.get(hash);
  const chain = consent ? { entries: consent.entries, headHash: consent.headHash } : previous?.consent;
  // First: from now on every consumer screens the number out, while the stores are emptied.
  await deps.tombstones.put({ phoneHash: hash, erasedAt, ...(chain ? { consent: chain } : {}) });
  const stores: ErasedItems[] = [];
  for (const store of deps.stores) {
    const erased = await store.erase(subject);
    stores.push({ ...erased, keys: erased.keys.map(redactText) });
  }
  const archive = deps.archive ? await eraseFromArchive(deps.archive, subject) : undefined;
  if (archive) stores.push({ store: archive.store, removed: archive.removed, keys: archive.keys });
  const receipt: ErasureReceipt = {
    phone: maskPhone(phoneNumber),
    phoneHash: hash,
    erasedAt,
    subscriberIds: subject.subscriberIds.length,
    ...(consent ? { consent } : {}),
    stores,
    ...(archive ? { archiveFilesScanned: archive.scanned } : {}),
    removed: stores.reduce((sum, s) => sum + s.removed, 0),
  };
  const tombstone: ErasureTombstone = {
    phoneHash: hash,
    erasedAt,
    ...(chain ? { consent: chain } : {}),
    removed: receipt.removed,
    receiptHash: receiptHashOf(receipt),
  };
  await deps.tombstones.put(tombstone);
  return { receipt, tombstone };
}
