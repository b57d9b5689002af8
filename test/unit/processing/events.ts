import type { SmsEvent } from "../../../core/events/schema";

let counter = 0;

/** Builds a canonical event with sensible defaults; each call gets a fresh event id. */
export function smsEvent(overrides: Partial<SmsEvent> & Pick<SmsEvent, "kind">): SmsEvent {
  counter++;
  return {
    eventId: `evt-${counter}`,
    schemaVersion: 1,
    occurredAt: "2026-11-24T10:00:30.000Z",
    provider: "local",
    phoneNumber: "+14255550100",
    ...overrides,
  };
}

export const reply = (body: string, overrides: Partial<SmsEvent> = {}): SmsEvent =>
  smsEvent({ kind: "received", body, ...overrides });
