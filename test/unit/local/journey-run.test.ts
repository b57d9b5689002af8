import { describe, expect, it } from "vitest";
import { JourneyCatalog } from "../../../core/campaign/journey-catalog";
import { routeReply } from "../../../core/campaign/reply-routing";
import { welcomeSeries } from "../../../journeys";
import { awsCampaignFunctions } from "../../../providers/local/clouds/aws-campaign-functions";
import { DAY_MS, runJourneyCampaign } from "../../../providers/local/run/journey-run";
import { createMemoryPorts } from "../../../providers/local/runtime/memory";
import { newYorkSubscriber } from "../campaign/deps";

const CAMPAIGN = "local-welcome";
const csv = [
  "subscriber_id,phone_number,time_zone,first_name",
  ...[0, 1, 2].map(
    (n) =>
      `${newYorkSubscriber(n).subscriberId},${newYorkSubscriber(n).phoneNumber},America/New_York,Sub${n}`,
  ),
  "sub-bad,12345,America/New_York,Bad",
].join("\n");

/** The run's driver over the core's functions, with a YES from subscriber 0 two minutes in. */
async function welcomeRun() {
  const ports = createMemoryPorts({ now: "2026-06-16T18:00:00.000Z" });
  const functions = awsCampaignFunctions({
    ports,
    storage: ports.archive,
    bucket: "local-bucket",
    settings: { mps: 10, intervalSeconds: 60 },
    chunkRows: 2,
    codeJourneys: [],
  });
  const calls = { enroll: 0, tick: 0 };
  let answered = false;
  const report = await runJourneyCampaign(
    { campaignId: CAMPAIGN, journey: welcomeSeries, audienceCsv: csv, intervalSeconds: 60 },
    {
      functions: {
        enroll: (key, fromLine) => {
          calls.enroll++;
          return functions.enroll(key, fromLine);
        },
        tick: () => {
          calls.tick++;
          return functions.tick();
        },
      },
      campaigns: ports.campaigns,
      journeys: ports.journeys,
      storage: ports.archive,
      clock: ports.clock,
      beforeTick: async (at) => {
        if (answered || at.getTime() < Date.parse("2026-06-16T18:02:00.000Z")) return 0;
        answered = true;
        // What the responses function does with the reply it reads from the stream.
        await routeReply(
          {
            eventId: "reply-1",
            schemaVersion: 1,
            kind: "received",
            occurredAt: at.toISOString(),
            provider: "local",
            phoneNumber: newYorkSubscriber(0).phoneNumber,
            keyword: "KEYWORD_111122223333",
            body: "Yes",
          },
          {
            journeys: ports.journeys,
            subscribers: ports.subscribers,
            definitions: new JourneyCatalog([], ports.campaigns),
            campaigns: ports.campaigns,
            now: () => ports.clock.now(),
          },
        );
        return 1;
      },
    },
  );
  return { ports, report, calls };
}

describe("a launched campaign on the simulated clock", () => {
  it("uploads the audience under the campaign prefix and enrolls it one chunk per invocation", async () => {
    const { ports, report, calls } = await welcomeRun();
    expect(await ports.archive.list("campaigns/")).toEqual([`campaigns/${CAMPAIGN}/audience.csv`]);
    expect(report.enrollmentChunks).toBe(2);
    expect(calls.enroll).toBe(2);
    expect(report.view).toMatchObject({ enrolled: 3, deadLettered: 1, enrollment: "complete" });
    expect(ports.deadLetter.entries.map((entry) => entry.reason)).toEqual([
      expect.stringMatching(/^line 5: invalid_number/),
    ]);
  });

  it("ticks at the interval until every journey ended: YES gets the thank-you, silence the follow-up a day later", async () => {
    const { ports, report, calls } = await welcomeRun();
    expect(report.view.sentByStep).toEqual({ welcome: 3, "thank-you": 1, "follow-up": 2 });
    expect(report.view).toMatchObject({
      waiting: 0,
      replies: { YES: 1 },
      done: { completed: 3, stopped: 0 },
    });
    expect(ports.sender.delivered.map((m) => m.body.split(",")[0])).toEqual(
      [
        "Welcome to Acme",
        "Welcome to Acme",
        "Welcome to Acme",
        "Thanks",
        "How are you finding Acme",
        "How are you finding Acme",
      ].map((prefix) => expect.stringMatching(new RegExp(`^${prefix}`))),
    );
    // Ended a day and a tick after launch, not at the two-day horizon; idle ticks were skipped.
    const elapsed = Date.parse(report.finishedAt) - Date.parse(report.launchedAt);
    expect(elapsed).toBeGreaterThanOrEqual(DAY_MS);
    expect(elapsed).toBeLessThan(DAY_MS + 5 * 60_000);
    expect(report.ticks).toBe(Math.round(elapsed / 60_000) + 1);
    expect(calls.tick).toBe(report.busyTicks);
    expect(report.busyTicks).toBeLessThan(10);
  });
});
