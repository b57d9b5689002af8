/** Small helpers every store's erase() shares (adapters import them; no SDK here). */
import type { ErasedItems, ErasureSubject } from "../ports";
import { redactText } from "../redact";

/** A store's part of the receipt; keys that embed a number (local event ids do) are masked. */
export const erasedItems = (store: string, keys: readonly string[]): ErasedItems => ({
  store,
  removed: keys.length,
  keys: keys.map(redactText),
});

/** True when an item belongs to the subject: its number, or one of its subscriber ids. */
export const concernsSubject = (
  subject: ErasureSubject,
  item: { phoneNumber?: string | undefined; subscriberId?: string | undefined },
): boolean =>
  item.phoneNumber === subject.phoneNumber ||
  (item.subscriberId !== undefined && subject.subscriberIds.includes(item.subscriberId));
