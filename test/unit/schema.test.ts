import { describe, expect, it } from "vitest";
import { SMS_EVENT_FIELDS, SmsEventSchema } from "../../core/events/schema";

const minimal = {
  eventId: "e-1",
  schemaVersion: 1,
  kind: "delivered",
  occurredAt: "2026-11-24T10:00:00.000Z",
  provider: "local",
  phoneNumber: "+14255550123",
} as const;

describe("canonical SmsEvent schema", () => {
  it("accepts an event with only the required fields", () => {
    expect(SmsEventSchema.parse(minimal)).toEqual(minimal);
  });

  it("rejects a phone number that is not E.164", () => {
    expect(SmsEventSchema.safeParse({ ...minimal, phoneNumber: "4255550123" }).success).toBe(false);
  });

  it("rejects fields it does not know, so nothing is silently invented", () => {
    expect(SmsEventSchema.safeParse({ ...minimal, extra: 1 }).success).toBe(false);
  });

  it("lists its fields in a fixed order starting with the id", () => {
    expect(SMS_EVENT_FIELDS.slice(0, 3)).toEqual(["eventId", "schemaVersion", "kind"]);
    expect(SMS_EVENT_FIELDS).toHaveLength(21);
  });
});

describe("a receipt that carries only a message id", () => {
  const { phoneNumber: _phone, ...withoutPhone } = minimal;

  it.each(["sent", "delivered", "failed", "opted_out"] as const)(
    "accepts a %s receipt with a messageId and no phone",
    (kind) => {
      const receipt = { ...withoutPhone, kind, messageId: "m-1" };
      expect(SmsEventSchema.parse(receipt)).toEqual(receipt);
    },
  );

  it("rejects a receipt that has neither a phone number nor a messageId", () => {
    const result = SmsEventSchema.safeParse(withoutPhone);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["phoneNumber"]);
  });

  it.each(["queued", "received"] as const)("still requires the phone number on a %s event", (kind) => {
    expect(SmsEventSchema.safeParse({ ...withoutPhone, kind, messageId: "m-1" }).success).toBe(false);
  });
});
