import { describe, expect, it } from "vitest";
import { replyKeyword } from "../../../core/campaign/reply-routing";
import type { SmsEvent } from "../../../core/events/schema";

const reply = (fields: Partial<SmsEvent>): SmsEvent => ({
  eventId: "r-1",
  schemaVersion: 1,
  kind: "received",
  occurredAt: "2026-06-16T18:00:00.000Z",
  provider: "aws-eum",
  phoneNumber: "+12125550100",
  ...fields,
});

describe("the keyword a reply routes a journey by", () => {
  it("is the registered keyword the provider matched", () => {
    expect(replyKeyword(reply({ keyword: "STOP", body: "stop please" }))).toBe("STOP");
  });

  it("is the body's first word when End User Messaging reports its catch-all KEYWORD_<account>", () => {
    expect(replyKeyword(reply({ keyword: "KEYWORD_111122223333", body: "Yes!" }))).toBe("YES");
    expect(replyKeyword(reply({ keyword: "KEYWORD_111122223333", body: "  yes please" }))).toBe("YES");
  });

  it("keeps a registered keyword that merely starts with KEYWORD", () => {
    expect(replyKeyword(reply({ keyword: "KEYWORDS", body: "yes" }))).toBe("KEYWORDS");
  });
});
