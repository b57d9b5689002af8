import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AudienceEntry } from "../../../core/campaign/audience";
import { runCampaign } from "../../../core/campaign/run";
import type { SendRequest, SendResult } from "../../../core/ports";
import { newYorkSubscriber, testCampaign } from "./deps";

describe("opt-outs (property)", () => {
  it("never lets a send reach a number opted out before its pre-send check, whatever the audience, list or STOP timing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 15 }),
        // STOP replies: [after how many provider calls, which subscriber].
        fc.array(fc.tuple(fc.nat({ max: 70 }), fc.integer({ min: 1, max: 30 })), { maxLength: 15 }),
        fc.integer({ min: 1, max: 4 }),
        async (size, optedOutBefore, stops, concurrency) => {
          const { ports, deps } = testCampaign();
          const audience = Array.from({ length: size }, (_, i) => newYorkSubscriber(i + 1));
          for (const n of optedOutBefore)
            await ports.optOuts.optOut(newYorkSubscriber(n).phoneNumber, "t", `e-${n}`);

          const optedOutAtSend: string[] = [];
          // STOP replies land at numbered moments of the campaign: while a send waits for the
          // pacer (after its first opt-out check) and after each provider call.
          let moments = 0;
          const stopsDue = async () => {
            moments++;
            for (const [at, n] of stops) {
              if (at === moments)
                await ports.optOuts.optOut(newYorkSubscriber(n).phoneNumber, "t", `stop-${n}`);
            }
          };
          const pacer = deps.pacer;
          deps.pacer = {
            acquire: (parts) => pacer.acquire(parts),
            pace: (parts, start) =>
              pacer.pace(parts, async () => {
                await stopsDue();
                return start();
              }),
          };
          const real = ports.sender;
          deps.sender = {
            async send(request: SendRequest): Promise<SendResult> {
              if (await ports.optOuts.isOptedOut(request.to)) optedOutAtSend.push(request.to);
              const result = await real.send(request);
              await stopsDue();
              return result;
            },
          };
          const entries = async function* (): AsyncIterable<AudienceEntry> {
            for (const [i, subscriber] of audience.entries())
              yield { kind: "member", line: i + 2, subscriber, country: "US" };
          };
          const report = await runCampaign(
            { campaignId: "c", template: "hello", messageType: "promotional" },
            entries,
            deps,
            { concurrency },
          );

          // One message in flight: a STOP recorded before a send's last check always stops it. With
          // more in flight, a send already past its check when the STOP lands may still go out,
          // exactly as with a provider call already on the wire, so only the start list is strict.
          if (concurrency === 1) expect(optedOutAtSend).toEqual([]);
          expect(report.sent + report.suppressed.optedOut).toBe(size);
          const initiallyOut = new Set(optedOutBefore.filter((n) => n <= size));
          for (const n of initiallyOut) expect(real.to(newYorkSubscriber(n).phoneNumber)).toHaveLength(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
