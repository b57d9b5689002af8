/**
 * The product's claim, checked: one seeded campaign (300 subscribers, with replies, STOPs,
 * failures, duplicates and poison records) through each cloud's stack on this machine,
 * each through its own emulators, native event formats and function entry points, gives the same
 * answer. Where a provider differs for real (Twilio reports no price and has no carrier fee, ACS
 * reports no price, only End User Messaging sends phone-less receipts), the field is named here
 * and checked absent on purpose, not equal by accident.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloudName } from "../../providers/local/clouds/local-cloud";
import { runLocal } from "../../providers/local/run/local-run";
import { downloadedEvents } from "../support/archive";
import { type CloudRun, comparable } from "../support/comparable-run";
import { RATES } from "../support/seeded-run";

const SEED = 424_242;

const CLOUDS = ["aws", "azure", "gcp"] as const satisfies readonly LocalCloudName[];
/** The clouds checked against AWS, the reference stack. */
const OTHERS = ["azure", "gcp"] as const;

describe("the same campaign on AWS, Azure and GCP", () => {
  const runs = new Map<LocalCloudName, CloudRun>();
  const dirs: string[] = [];

  beforeAll(async () => {
    for (const cloud of CLOUDS) {
      const out = mkdtempSync(join(tmpdir(), `sms-${cloud}-`));
      dirs.push(out);
      const summary = await runLocal({ cloud, subscribers: 300, seed: SEED, out, rates: RATES });
      runs.set(cloud, { summary, events: await downloadedEvents(join(out, "archive")) });
    }
  }, 1_200_000);
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const run = (cloud: LocalCloudName) => {
    const found = runs.get(cloud);
    if (!found) throw new Error(`the ${cloud} run did not finish`);
    return found;
  };

  it.each(CLOUDS)("keeps every invariant on %s", (cloud) => {
    const failed = run(cloud).summary.invariants.filter((invariant) => !invariant.holds);
    expect(failed).toEqual([]);
    expect(run(cloud).summary.cloud).toBe(cloud);
  });

  it.each(OTHERS)("gives on %s the figures AWS gives", (cloud) => {
    expect(comparable(run(cloud))).toEqual(comparable(run("aws")));
  });

  it("exercises every path: failures, STOPs, duplicate deliveries, poison records and notifications", () => {
    const { summary } = run("aws");
    expect(summary.failed).toBeGreaterThan(0);
    expect(summary.optOuts).toBeGreaterThan(0);
    expect(summary.carrier.duplicateDeliveries).toBeGreaterThan(0);
    expect(summary.deadLettered).toBeGreaterThan(0);
    expect(summary.notifications.byPattern["unhappy"]).toBeGreaterThan(0);
    expect(summary.optOutsStored).toBeGreaterThan(summary.audience.optedOutBefore);
  });

  it("has prices only where the provider reports them: End User Messaging yes, ACS and Twilio no", () => {
    // Receipts only: the queued events carry the engine's own estimate on every cloud.
    const receipts = (cloud: LocalCloudName) =>
      run(cloud).events.filter((event) => event.kind === "delivered" || event.kind === "failed");
    const priced = (cloud: LocalCloudName) =>
      receipts(cloud).filter((event) => event.kind === "delivered" && event.priceUsd !== undefined).length;
    const fees = (cloud: LocalCloudName) =>
      receipts(cloud).filter((event) => event.carrierFeeUsd !== undefined).length;
    expect(priced("aws")).toBe(run("aws").summary.delivered);
    expect(fees("aws")).toBeGreaterThan(0);
    for (const cloud of OTHERS) {
      expect(priced(cloud)).toBe(0);
      expect(fees(cloud)).toBe(0);
    }
  });

  it("links a reply to the message it answers on End User Messaging only; ACS and Twilio replies say nothing of it", () => {
    expect(run("aws").summary.journey.sendToReply.replies).toBeGreaterThan(0);
    for (const cloud of OTHERS) {
      expect(run(cloud).summary.journey.sendToReply.replies).toBe(0);
      const linked = run(cloud).events.filter((event) => event.kind === "received" && event.inReplyTo);
      expect(linked).toEqual([]);
    }
  });

  it("sends phone-less receipts on End User Messaging only, and attributes them all", () => {
    expect(run("aws").summary.attribution.phonelessReceipts).toBeGreaterThan(0);
    for (const cloud of CLOUDS) expect(run(cloud).summary.attribution.archivedWithoutPhone).toBe(0);
    for (const cloud of OTHERS) expect(run(cloud).summary.attribution.phonelessReceipts).toBe(0);
  });
});
