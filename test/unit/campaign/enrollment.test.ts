import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readAudienceCsv } from "../../../core/campaign/audience";
import { enrollChunk } from "../../../core/campaign/enrollment";
import { journey } from "../../../core/campaign/journey";
import { createJourneyEngine } from "../../../core/campaign/journey-engine";
import { testCampaign } from "./deps";

const confirmation = journey("confirm").send("confirm", "Reply YES to confirm, {{first_name}}");

const CSV = [
  "subscriber_id,phone_number,time_zone,first_name",
  "a,+12125550101,America/New_York,Ann",
  "b,not-a-number,America/New_York,Bob",
  "c,+12125550103,America/New_York,Cy",
  "a,+12125550104,America/New_York,Again",
  "d,+12125550105,America/New_York,Di",
  "e,+12125550106,America/New_York,Ed",
].join("\n");

function setup() {
  const { ports, deps } = testCampaign();
  const engine = createJourneyEngine([confirmation], {
    ...deps,
    journeys: ports.journeys,
    subscribers: ports.subscribers,
  });
  const enrollment = {
    engine,
    journeys: ports.journeys,
    subscribers: ports.subscribers,
    deadLetter: ports.deadLetter,
    now: () => ports.clock.now(),
  };
  const rows = () => readAudienceCsv(Readable.from([CSV]));
  return { ports, enrollment, rows };
}

describe("audience enrollment", () => {
  it("enrolls in chunks, dead-letters bad rows with their line and reason, and hands over the next line", async () => {
    const { ports, enrollment, rows } = setup();
    const chunk = { journeyId: "confirm", source: "campaigns/c1/audience.csv", maxRows: 3 };
    const first = await enrollChunk(rows(), chunk, enrollment);
    expect(first).toEqual({ enrolled: 2, alreadyEnrolled: 0, deadLettered: 1, nextLine: 5 });
    const second = await enrollChunk(rows(), { ...chunk, fromLine: first.nextLine }, enrollment);
    expect(second).toEqual({ enrolled: 2, alreadyEnrolled: 0, deadLettered: 1 });
    expect(ports.sender.delivered.map((r) => r.to)).toEqual([
      "+12125550101",
      "+12125550103",
      "+12125550105",
      "+12125550106",
    ]);
    expect(ports.deadLetter.entries.map((e) => [e.reason.split(":")[0], e.source])).toEqual([
      ["line 3", "enrollment:campaigns/c1/audience.csv#line=3"],
      ["line 5", "enrollment:campaigns/c1/audience.csv#line=5"],
    ]);
    expect(JSON.parse(new TextDecoder().decode(ports.deadLetter.entries[1].raw))).toMatchObject({
      kind: "duplicate",
      subscriberId: "a",
    });
  });

  it("enrolls nobody twice when the same audience is uploaded again", async () => {
    const { ports, enrollment, rows } = setup();
    const chunk = { journeyId: "confirm", source: "campaigns/c1/audience.csv" };
    await enrollChunk(rows(), chunk, enrollment);
    const again = await enrollChunk(rows(), chunk, enrollment);
    expect(again).toMatchObject({ enrolled: 0, alreadyEnrolled: 4 });
    expect(ports.sender.delivered).toHaveLength(4);
  });
});
