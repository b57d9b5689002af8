/**
 * Keeping an erased number erased: its salted-hash tombstone (ErasureTombstone) screens it out of
 * every later write. Sends and enrollment see it as opted out, the archive consumer drops its rows
 * and the responses consumer stores nothing of its replies, so a STOP, a re-import or a retried
 * batch cannot bring the number back in clear.
 */
import type { ErasureGuard, ErasureTombstoneStore, OptOutStore, SmsEvent } from "../ports";
import { phoneHash } from "../redact";

/** The guard of a deployment: its tombstones looked up by the number's hash under its salt. */
export const erasureGuardOf = (tombstones: ErasureTombstoneStore, salt: string): ErasureGuard => ({
  isErased: async (phoneNumber) => (await tombstones.get(phoneHash(phoneNumber, salt))) !== undefined,
});

/** The events whose number was not erased; one lookup per distinct number. */
export async function withoutErased(events: SmsEvent[], guard: ErasureGuard): Promise<SmsEvent[]> {
  const numbers = [...new Set(events.flatMap((e) => (e.phoneNumber ? [e.phoneNumber] : [])))];
  const erased = new Set<string>();
  for (const number of numbers) if (await guard.isErased(number)) erased.add(number);
  return erased.size === 0 ? events : events.filter((e) => !e.phoneNumber || !erased.has(e.phoneNumber));
}

/**
 * An OptOutStore that treats an erased number as opted out, and never stores it again: an opt-out
 * of an erased number answers false (it was suppressed already; there is nobody to confirm to on
 * record) and writes nothing.
 */
export function suppressErased(optOuts: OptOutStore, guard: ErasureGuard): OptOutStore {
  return {
    optOut: async (phoneNumber, at, sourceEventId) =>
      (await guard.isErased(phoneNumber)) ? false : optOuts.optOut(phoneNumber, at, sourceEventId),
    optIn: async (phoneNumber) => ((await guard.isErased(phoneNumber)) ? false : optOuts.optIn(phoneNumber)),
    isOptedOut: async (phoneNumber) =>
      (await guard.isErased(phoneNumber)) || (await optOuts.isOptedOut(phoneNumber)),
  };
}

/**
 * A function's ports screened for erased numbers, the same on every cloud: with the stack's salt
 * the tombstones (built only then) give the ports an ErasureGuard, and their opt-out store, if
 * any, treats erased numbers as opted out; without the salt there can be no tombstones to find,
 * and the ports stay as they are.
 */
export function screenErasedPorts<T extends object>(
  ports: T,
  salt: string | undefined,
  tombstones: () => ErasureTombstoneStore,
): T & { erasures?: ErasureGuard } {
  if (!salt) return ports;
  const erasures = erasureGuardOf(tombstones(), salt);
  const optOuts = (ports as { optOuts?: OptOutStore }).optOuts;
  return { ...ports, erasures, ...(optOuts ? { optOuts: suppressErased(optOuts, erasures) } : {}) };
}
