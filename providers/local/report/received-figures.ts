/**
 * Three honest counts of inbound replies that differ when the carrier redelivers one (SNS is
 * at-least-once): the archive keeps every delivery, the analytics function deduplicates only within
 * one batch, and replies are counted once per event id (as the responses table stores them).
 */
import type { SmsEvent } from "../../../core/events/schema";

export interface ReceivedFigures {
  /** Received rows in the archive: every delivery of a reply, so a redelivered one appears twice. */
  archivedRows: number;
  /** The analytics function's Received count: deduplicated within a batch only, so a redelivery in a later batch counts again. */
  analyticsCounted: number;
  /** Distinct replies (by event id, with a number): the Replies tile and the responses table. */
  deduplicated: number;
}

export function receivedFiguresOf(archived: readonly SmsEvent[], analyticsReceived: number): ReceivedFigures {
  const received = archived.filter((event) => event.kind === "received");
  const distinct = new Set(received.filter((event) => event.phoneNumber).map((event) => event.eventId));
  return { archivedRows: received.length, analyticsCounted: analyticsReceived, deduplicated: distinct.size };
}
