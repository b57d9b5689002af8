import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readAudienceCsv } from "../../../core/campaign/audience";
import { journeyOfCampaign, newCampaignRecord } from "../../../core/campaign/campaign";
import { enrollCampaignChunk } from "../../../core/campaign/enrollment";
import { JourneyCatalog } from "../../../core/campaign/journey-catalog";
import { createJourneyEngine } from "../../../core/campaign/journey-engine";
import { routeReply } from "../../../core/campaign/reply-routing";
import { runCampaignTick } from "../../../core/campaign/ticker";
import type { JourneyStore, OptOutStore, SendRequest, SendResult, SmsSender } from "../../../core/ports";
import { welcomeSeries } from "../../../journeys/welcome-series";
import { newYorkSubscriber, testCampaign } from "./deps";

const HOUR_MS = 3_600_000;

describe("the journey ticker and STOP (property)", () => {
  it("sends no step to a number after its STOP lands, even between a tick's read and its send", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        // STOP replies: [at which moment of the run, which subscriber].
        fc.array(fc.tuple(fc.nat({ max: 60 }), fc.integer({ min: 0, max: 11 })), { maxLength: 10 }),
        fc.integer({ min: 1, max: 6 }),
        async (size, stops, mps) => {
          const { ports, deps } = testCampaign();
          const record = newCampaignRecord("prop-welcome", welcomeSeries, ports.clock.now());
          await ports.campaigns.put(record, 0);
          const csv = [
            "subscriber_id,phone_number,time_zone,first_name",
            ...Array.from({ length: size }, (_, i) => {
              const s = newYorkSubscriber(i);
              return `${s.subscriberId},${s.phoneNumber},America/New_York,S${i}`;
            }),
          ].join("\n");
          const engine = createJourneyEngine([journeyOfCampaign(record)], { ...deps, ...ports });
          await enrollCampaignChunk(
            readAudienceCsv(Readable.from([csv])),
            { campaignId: record.campaignId },
            {
              engine,
              ...ports,
              now: () => ports.clock.now(),
            },
          );

          const stoppedAt = new Map<string, number>();
          const violations: string[] = [];
          // Order of events, to tell a send that ignored a STOP from one that raced it (below).
          let sequence = 0;
          let sendCalls = 0;
          const stopWrittenAt = new Map<string, number>();
          const lastCheck = new Map<string, { startedAt: number; sendCallsBefore: number }>();
          const optOuts: OptOutStore = {
            optOut: (...args) => ports.optOuts.optOut(...args),
            optIn: (phoneNumber) => ports.optOuts.optIn(phoneNumber),
            isOptedOut: async (phoneNumber) => {
              const startedAt = ++sequence;
              const sendCallsBefore = sendCalls;
              const answer = await ports.optOuts.isOptedOut(phoneNumber);
              lastCheck.set(phoneNumber, { startedAt, sendCallsBefore });
              return answer;
            },
          };
          let moment = 0;
          let endedByStop = 0;
          // The responses consumer's STOP: record the opt-out, then end the number's journeys.
          const stopsDue = async () => {
            moment++;
            for (const [at, n] of stops) {
              const phoneNumber = newYorkSubscriber(n).phoneNumber;
              if (at !== moment || n >= size || stoppedAt.has(phoneNumber)) continue;
              stopWrittenAt.set(phoneNumber, ++sequence);
              await ports.optOuts.optOut(phoneNumber, ports.clock.now().toISOString(), `stop-${n}-${at}`);
              stoppedAt.set(phoneNumber, moment);
              const moved = await routeReply(
                {
                  eventId: `stop-${n}-${at}`,
                  schemaVersion: 1,
                  kind: "received",
                  occurredAt: ports.clock.now().toISOString(),
                  provider: "local",
                  phoneNumber,
                  body: "STOP",
                },
                {
                  journeys: ports.journeys,
                  subscribers: ports.subscribers,
                  definitions: new JourneyCatalog([], ports.campaigns),
                  campaigns: ports.campaigns,
                  now: () => ports.clock.now(),
                },
              );
              if (moved.length > 0) endedByStop++;
            }
          };
          // STOPs land right after the tick reads its due journeys (before it sends) and after each send.
          const journeys: JourneyStore = {
            get: (j, s) => ports.journeys.get(j, s),
            put: (state, v) => ports.journeys.put(state, v),
            bySubscriber: (s) => ports.journeys.bySubscriber(s),
            due: async (at, limit) => {
              const due = await ports.journeys.due(at, limit);
              await stopsDue();
              return due;
            },
          };
          const sender: SmsSender = {
            async send(request: SendRequest): Promise<SendResult> {
              // A send after the STOP was recorded is allowed only in the one window no check can
              // close, with many advances in flight: the STOP landed after the number's last opt-out
              // read began, and no other send started between that read and this send. A STOP the
              // read could see, or a read followed by other sends (not the last step before this
              // one), is a violation.
              const check = lastCheck.get(request.to);
              const stopAt = stopWrittenAt.get(request.to) ?? Number.POSITIVE_INFINITY;
              const raced =
                check !== undefined && stopAt > check.startedAt && check.sendCallsBefore === sendCalls;
              if (stoppedAt.has(request.to) && !raced) violations.push(`${request.to} at moment ${moment}`);
              sendCalls++;
              const result = await ports.sender.send(request);
              await stopsDue();
              return result;
            },
          };
          for (let tick = 0; tick < 8; tick++) {
            await runCampaignTick(
              [],
              { ...ports, optOuts, journeys, sender },
              { mps, intervalSeconds: 2 },
              "local",
            );
            ports.clock.advance(6 * HOUR_MS);
          }

          expect(violations).toEqual([]);
          for (const phoneNumber of stoppedAt.keys()) {
            expect(
              await ports.journeys.bySubscriber(
                newYorkSubscriber(Number(phoneNumber.slice(-4)) - 1000).subscriberId,
              ),
            ).toEqual([]);
          }
          const counts = await ports.campaigns.counts(record.campaignId);
          // A STOP after the journey finished has nothing to end; the others are counted once each.
          expect(counts.stopped ?? 0).toBe(endedByStop);
        },
      ),
      { numRuns: 100 },
    );
  });
});
