import { describe, expect, it } from "vitest";
import { addCountersExpression } from "../../../providers/aws/runtime/campaign-store";

describe("the DynamoDB campaign counters update", () => {
  it("adds each counter under its prefix, and sets the TTL attribute (epoch seconds) only when they expire", () => {
    const delta = { sent: 2, "breaker:2026-06-16T18:00:receipts": 1 };
    expect(addCountersExpression(delta)).toEqual({
      empty: false,
      UpdateExpression: "ADD #c0 :c0, #c1 :c1",
      ExpressionAttributeNames: { "#c0": "c:sent", "#c1": "c:breaker:2026-06-16T18:00:receipts" },
      ExpressionAttributeValues: { ":c0": 2, ":c1": 1 },
    });
    expect(addCountersExpression(delta, new Date("2026-06-23T19:10:00.500Z"))).toMatchObject({
      UpdateExpression: "ADD #c0 :c0, #c1 :c1 SET #ttl = :ttl",
      ExpressionAttributeNames: { "#ttl": "ttl" },
      ExpressionAttributeValues: { ":ttl": Date.parse("2026-06-23T19:10:01Z") / 1000 },
    });
    expect(addCountersExpression({}).empty).toBe(true);
  });
});
