import { describe, expect, it } from "vitest";
import {
  bodyLength,
  describeBody,
  describePhone,
  maskPhone,
  phoneHash,
  redactedMessage,
  redactText,
  redactThrown,
  redactValue,
  withRedactedErrors,
} from "../../core/redact";

describe("maskPhone", () => {
  it.each([
    ["+12125550101", "***0101"],
    ["+1 (212) 555-0101", "***0101"],
    ["+447700900123", "***0123"],
    ["2125550147", "***0147"],
    ["123", "***"],
    ["", "***"],
  ])("shows %j as %j", (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe("phoneHash", () => {
  const salt = "a-deployment-salt";

  it("is 16 hex characters, the same for one number however it is written", () => {
    const hash = phoneHash("+12125550101", salt);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(phoneHash("+1 (212) 555-0101", salt)).toBe(hash);
    expect(phoneHash(" +1.212.555.0101 ", salt)).toBe(hash);
  });

  it("differs between numbers and between salts, and does not contain the number", () => {
    const hash = phoneHash("+12125550101", salt);
    expect(phoneHash("+12125550102", salt)).not.toBe(hash);
    expect(phoneHash("+12125550101", "another-salt")).not.toBe(hash);
    // With and without the international +, the numbers differ (a national number is not E.164).
    expect(phoneHash("12125550101", salt)).not.toBe(hash);
    expect(hash).not.toContain("0101");
  });

  it("describePhone gives the mask and, only with a salt, the hash", () => {
    expect(describePhone("+12125550101")).toEqual({ phone: "***0101" });
    expect(describePhone("+12125550101", salt)).toEqual({
      phone: "***0101",
      phoneHash: phoneHash("+12125550101", salt),
    });
  });
});

describe("bodies", () => {
  it.each([
    [undefined, 0],
    ["", 0],
    ["YES", 3],
    ["Arrêt", 5],
    ["👍 thanks", 8],
    ["x".repeat(1600), 1600],
  ])("counts %j as %i characters", (body, length) => {
    expect(bodyLength(body)).toBe(length);
    expect(describeBody(body)).toBe(`a ${length}-character body`);
  });

  it("describes a body by its length only, never its words", () => {
    expect(describeBody("my secret is tomorrow at noon")).not.toMatch(/secret|noon/);
  });
});

describe("redactText masks phone-like digit runs in free text", () => {
  it.each([
    ["+12125550101", "***0101"],
    ["call +1 212 555 0101 now", "call ***0101 now"],
    ["+1-212-555-0101.", "***0101."],
    ["+1.212.555.0101", "***0101"],
    ["+1 (212) 555-0101", "***0101"],
    ["(212) 555-0101", "***0101"],
    ["212.555.0101", "***0101"],
    ["212/555/0101", "***0101"],
    ["2125550101", "***0101"],
    ["555-0101", "***0101"],
    ["+44 20 7946 0958", "***0958"],
    ["+44 (0)20 7946 0958", "***0958"],
    ["0044 20 7946 0958", "***0958"],
    ["+33 6 12 34 56 78", "***5678"],
    ["+49 (0)30 1234567", "***4567"],
    ["+861012345678901", "***8901"],
    ["tel:+33612345678", "tel:***5678"],
    ["From=%2B12125550101&Body=hi", "From=***0101&Body=hi"],
    ["from=%2b12125550101", "from=***0101"],
    ["/phonenumber/12125550101", "/phonenumber/***0101"],
    ['"phoneNumber":"+12125550101"', '"phoneNumber":"***0101"'],
    ["+12125550101,+12125550102", "***0101,***0102"],
    ["x-+12125550101", "x-***0101"],
    [
      "opt-out of +12125550101: too many concurrent writers",
      "opt-out of ***0101: too many concurrent writers",
    ],
    [
      "Unexpected token 'H', \"Hi +1 212 555 0101\" is not valid JSON",
      "Unexpected token 'H', \"Hi ***0101\" is not valid JSON",
    ],
  ])("%j -> %j", (text, redacted) => {
    expect(redactText(text)).toBe(redacted);
  });

  it.each([
    ["42 replies, 2,000 subscribers, 123456 parts"],
    ["at 2026-06-16T18:00:00.000Z"],
    ["date=2026-06-16/part-0.parquet"],
    ["2026-06-16 18:00:00"],
    ["shardId-000000000001"],
    ["550e8400-e29b-41d4-a716-446655440000"],
    ["sequence 49590338271490256608559692538361571095921575989136588898"],
    ["event 3f2a12345678901234abcdef"],
    ["records 3-103, 3-104"],
    ["cost $0.00581 per part"],
    ["version 1.2.3"],
  ])("leaves %j alone: ids, dates and counts are not numbers of people", (text) => {
    expect(redactText(text)).toBe(text);
  });
});

describe("redactValue and redactedMessage", () => {
  it("redacts every string of a log entry, errors included, and keeps the rest", () => {
    const entry = {
      message: "records failed",
      recordIds: ["3-103"],
      count: 2125550101,
      nested: { error: new Error("could not send the help answer to +12125550101") },
      raw: new Uint8Array([1, 2, 3]),
    };
    expect(redactValue(entry)).toEqual({
      message: "records failed",
      recordIds: ["3-103"],
      count: 2125550101,
      nested: { error: "Error: could not send the help answer to ***0101" },
      raw: "[3 bytes]",
    });
  });

  it("survives a cycle", () => {
    const entry: Record<string, unknown> = { to: "+12125550101" };
    entry["self"] = entry;
    expect(redactValue(entry)).toEqual({ to: "***0101", self: "[circular]" });
  });

  it("redactedMessage takes an Error or anything thrown", () => {
    expect(redactedMessage(new Error("opt-in of +12125550101"))).toBe("opt-in of ***0101");
    expect(redactedMessage("+12125550101")).toBe("***0101");
  });
});

describe("errors that escape a handler", () => {
  class StoreError extends Error {
    override name = "StoreError";
  }

  it("are redacted in place, message and stack, keeping their class", () => {
    const error = new StoreError("opt-out of +12125550101: too many concurrent writers");
    const redacted = redactThrown(error);
    expect(redacted).toBe(error);
    expect(redacted).toBeInstanceOf(StoreError);
    expect(redacted.message).toBe("opt-out of ***0101: too many concurrent writers");
    expect(redacted.stack).not.toContain("+12125550101");
  });

  it("turn anything else thrown into a redacted Error", () => {
    expect(redactThrown("no route to +447700900123").message).toBe("no route to ***0123");
  });

  it("withRedactedErrors passes results through and redacts rejections", async () => {
    const ok = withRedactedErrors(async (n: number) => n + 1);
    await expect(ok(1)).resolves.toBe(2);
    const failing = withRedactedErrors(async () => {
      throw new Error("could not send the help answer: +12125550101 is unreachable");
    });
    await expect(failing()).rejects.toThrow("could not send the help answer: ***0101 is unreachable");
  });
});
