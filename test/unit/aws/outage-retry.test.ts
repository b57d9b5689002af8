import type { RetryErrorInfo } from "@smithy/types";
import { describe, expect, it } from "vitest";
import { outageRetryStrategy } from "../../../providers/aws/runtime/outage-retry";

const strategy = () =>
  outageRetryStrategy({ maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250, random: () => 1 });
const refused: RetryErrorInfo = {
  errorType: "TRANSIENT",
  error: Object.assign(new Error("connect ECONNREFUSED"), { $metadata: {} }) as never,
};

describe("the store clients' outage retry", () => {
  it("retries a refused connection with growing, capped delays until its attempts are spent, never out of a quota", async () => {
    const retry = strategy();
    let token = await retry.acquireInitialRetryToken("dynamodb");
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      token = await retry.refreshRetryTokenForRetry(token, refused);
      delays.push(token.getRetryDelay());
    }
    expect(delays).toEqual([100, 200, 250]);
    await expect(retry.refreshRetryTokenForRetry(token, refused)).rejects.toThrow(/ECONNREFUSED/);
  });

  it("keeps retrying the hundredth failing call as it did the first (the SDK's bucket would be empty)", async () => {
    const retry = strategy();
    for (let call = 0; call < 100; call++) {
      const token = await retry.acquireInitialRetryToken("dynamodb");
      await expect(retry.refreshRetryTokenForRetry(token, refused)).resolves.toBeDefined();
    }
  });

  it("retries throttling and server errors, never a client error such as a failed condition", async () => {
    const retry = strategy();
    const token = await retry.acquireInitialRetryToken("dynamodb");
    await expect(retry.refreshRetryTokenForRetry(token, { errorType: "THROTTLING" })).resolves.toBeDefined();
    await expect(
      retry.refreshRetryTokenForRetry(token, { errorType: "SERVER_ERROR" }),
    ).resolves.toBeDefined();
    await expect(retry.refreshRetryTokenForRetry(token, { errorType: "CLIENT_ERROR" })).rejects.toThrow();
  });
});
