import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readAudienceCsv } from "../../../core/campaign/audience";
import { enrollChunk } from "../../../core/campaign/enrollment";
import { journey } from "../../../core/campaign/journey";
import { createJourneyEngine } from "../../../core/campaign/journey-engine";
import { eraseSubscriber } from "../../../core/processing/erasure";
import { erasureGuardOf, suppressErased } from "../../../core/processing/erasure-guard";
import { processReplies, type ResponsesSettings } from "../../../core/processing/responses";
import { phoneHash } from "../../../core/redact";
import { createMemoryPorts, MemoryErasureTombstones } from "../../../providers/local/runtime/memory";
import { testCampaign } from "../campaign/deps";
import { reply } from "./events";

const SALT = "unit-test-salt-0123456789abcdef";
const ana = "+12125550101";
const settings: ResponsesSettings = {
  helpText: "Reply STOP to opt out.",
  stopConfirmationText: "You are unsubscribed.",
  senderNumber: "+18005550199",
  patterns: [],
};

async function erasedAna() {
  const ports = createMemoryPorts({ now: "2026-11-24T10:00:00.000Z" });
  const tombstones = new MemoryErasureTombstones();
  await ports.subscribers.upsert({ subscriberId: "sub-ana", phoneNumber: ana, attributes: {} });
  await processReplies([reply("STOP", { phoneNumber: ana, subscriberId: "sub-ana" })], ports, settings);
  const { receipt, tombstone } = await eraseSubscriber(
    ana,
    {
      ...ports,
      stores: [
        ports.responses,
        ports.messages,
        ports.journeys,
        ports.optOuts,
        ports.consentLog,
        ports.subscribers,
      ],
      tombstones,
    },
    SALT,
  );
  const erasures = erasureGuardOf(tombstones, SALT);
  return { ports, tombstones, erasures, receipt, tombstone };
}

describe("erasing a subscriber", () => {
  it("prints a receipt of what went where, naming the number only masked and by its salted hash", async () => {
    const { receipt, tombstone } = await erasedAna();
    expect(receipt).toMatchObject({
      phone: "***0101",
      phoneHash: phoneHash(ana, SALT),
      subscriberIds: 1,
      consent: { entries: 1, verified: true },
      removed: 4,
    });
    expect(receipt.stores.map((s) => [s.store, s.removed])).toEqual([
      ["responses", 1],
      ["message-log", 0],
      ["journeys", 0],
      ["opt-outs", 1],
      ["consent-log", 1],
      ["subscribers", 1],
      ["archive", 0],
    ]);
    expect(receipt.archiveFilesScanned).toBe(0);
    expect(receipt.stores.find((s) => s.store === "consent-log")?.keys).toEqual(["***0101/entry#1"]);
    expect(tombstone.consent?.headHash).toBe(receipt.consent?.headHash);
  });

  it("stores nothing of a later STOP from the number, which stays suppressed", async () => {
    const { ports, erasures } = await erasedAna();
    const stop = reply("STOP", { phoneNumber: ana });
    const outcome = await processReplies([stop], { ...ports, erasures }, settings);
    expect(outcome).toMatchObject({ erasedSkipped: 1, stored: 0, optedOut: 0, answers: 0 });
    expect(ports.responses.all()).toEqual([]);
    expect(ports.optOuts.list()).toEqual([]);
    expect(await ports.consentLog.entriesFor(ana)).toEqual([]);
    expect(await suppressErased(ports.optOuts, erasures).isOptedOut(ana)).toBe(true);
  });

  it("skips the number on a re-import, and enrolls the rest", async () => {
    const { erasures } = await erasedAna();
    const { ports, deps } = testCampaign();
    const engine = createJourneyEngine([journey("confirm").send("confirm", "Reply YES")], {
      ...deps,
      journeys: ports.journeys,
      subscribers: ports.subscribers,
    });
    const csv = ["subscriber_id,phone_number", `sub-ana,${ana}`, "sub-ben,+12125550102"].join("\n");
    const counts = await enrollChunk(
      readAudienceCsv(Readable.from([csv])),
      { journeyId: "confirm", source: "audience.csv" },
      {
        engine,
        journeys: ports.journeys,
        subscribers: ports.subscribers,
        deadLetter: ports.deadLetter,
        now: () => ports.clock.now(),
        erasures,
      },
    );
    expect(counts).toMatchObject({ enrolled: 1, erased: 1 });
    expect(await ports.subscribers.findByPhone(ana)).toBeUndefined();
    expect(await ports.subscribers.get("sub-ben")).toBeDefined();
  });
});
