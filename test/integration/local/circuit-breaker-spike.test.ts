/**
 * `npm start -- --spike`, small: the simulated carrier blocks a share of the Welcome Series'
 * messages mid-run, the analytics function's circuit breaker pauses the campaign, and the sends
 * it saved are exactly the sends the seed says the campaign would still have made. The run uses
 * the in-memory stores (no Java needed, and fast); the pause on DynamoDB itself is tested in
 * test/integration/aws/circuit-breaker.test.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizePhoneNumber } from "../../../core/campaign/phone";
import { sendKeyOf } from "../../../core/campaign/send-key";
import { generateAudience } from "../../../providers/local/bootstrap/audience";
import { decideFate, spikedFate } from "../../../providers/local/carrier/fate";
import { DEFAULT_CARRIER_RATES } from "../../../providers/local/carrier/rates";
import { renderDashboard } from "../../../providers/local/report/dashboard";
import type { RunSummary } from "../../../providers/local/report/run-summary";
import { CAMPAIGN_ID, runLocal, WELCOME_CAMPAIGN_ID } from "../../../providers/local/run/local-run";
import { isValidZone } from "../../support/seeded-run";

const SEED = 7;
const SUBSCRIBERS = 200;
const SPIKE = 0.3;

/**
 * What the Welcome Series would have sent without the pause, from first principles: every
 * enrolled subscriber the run can reach (not opted out before or by a STOP to the confirmation,
 * a known time zone) gets the welcome, and one more message (thank-you or follow-up) unless the
 * welcome draws a STOP. Blocked messages draw no reply.
 */
function unpausedWelcomeSends(): number {
  const audience = generateAudience(SUBSCRIBERS, SEED);
  const valid = audience.filter((m) => normalizePhoneNumber(m.phoneNumber)?.e164 === m.phoneNumber);
  const fate = (campaignId: string, subscriberId: string, stepId: string) => {
    const key = sendKeyOf({ campaignId, subscriberId, stepId });
    const decided = decideFate(SEED, key, DEFAULT_CARRIER_RATES);
    return campaignId === WELCOME_CAMPAIGN_ID ? spikedFate(SEED, key, decided, SPIKE) : decided;
  };
  // The confirmation goes out at 18:00 UTC: Australian numbers are in their night and held.
  const stoppedAtConfirmation = (m: (typeof valid)[number]) =>
    !m.optedOut &&
    !m.phoneNumber.startsWith("+61") &&
    fate(CAMPAIGN_ID, m.subscriberId, "send").reply?.kind === "stop";
  const reachable = valid.filter(
    (m) =>
      !m.optedOut &&
      !stoppedAtConfirmation(m) &&
      !(/^\+(61|34)/.test(m.phoneNumber) && !isValidZone(m.timeZone)),
  );
  return reachable.reduce(
    (sends, m) =>
      sends + (fate(WELCOME_CAMPAIGN_ID, m.subscriberId, "welcome").reply?.kind === "stop" ? 1 : 2),
    0,
  );
}

describe("npm start --spike: the circuit breaker pauses the Welcome Series", () => {
  const out = mkdtempSync(join(tmpdir(), "sms-spike-"));
  let summary: RunSummary;

  beforeAll(async () => {
    summary = await runLocal({
      subscribers: SUBSCRIBERS,
      seed: SEED,
      out,
      spike: SPIKE,
      dynamodbLocal: false,
    });
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("pauses the campaign on its carrier-block rate, says why once, and sends nothing more for it", () => {
    const breaker = summary.circuitBreaker;
    expect(breaker?.enabled).toBe(true);
    expect(summary.journey.status).toBe("paused");
    expect(breaker?.pause).toMatchObject({
      campaignId: WELCOME_CAMPAIGN_ID,
      reason: "carrier_block_rate",
      notified: true,
    });
    const block = breaker?.pause?.figures.find((figure) => figure.rule === "carrier_block_rate");
    expect(block?.crossed).toBe(true);
    expect(block?.of).toBeGreaterThanOrEqual(breaker?.pause?.window.minSample ?? Infinity);
    expect(block?.count).toBeLessThanOrEqual(breaker?.spikeBlocked ?? 0);
    expect(summary.notifications.byPattern.circuit_breaker).toBe(1);
    expect(summary.invariants.every((invariant) => invariant.holds)).toBe(true);
  });

  it("reports the sends it saved: exactly those the campaign would still have made", () => {
    const made = Object.values(summary.journey.sentByStep).reduce((sum, n) => sum + n, 0);
    const wouldHaveMade = unpausedWelcomeSends();
    const saved = wouldHaveMade - made;
    const block = summary.circuitBreaker?.pause?.figures.find(
      (figure) => figure.rule === "carrier_block_rate",
    );
    console.log(
      `spike run: audience ${SUBSCRIBERS}, seed ${SEED}, spike ${SPIKE}: Welcome Series sends made ${made} of ${wouldHaveMade}, saved ${saved}; ` +
        `paused at ${summary.circuitBreaker?.pause?.at} on carrier-block rate ${block?.ratePercent}% (${block?.count} of ${block?.of} receipts, threshold ${block?.thresholdPercent}%)`,
    );
    expect(saved).toBeGreaterThan(0);
    expect(summary.circuitBreaker?.sendsSaved).toBe(saved);
  });

  it("shows the pause, its figures and the sends saved on the dashboard npm start prints", () => {
    const dashboard = renderDashboard(summary);
    expect(dashboard).toContain(
      `circuit breaker: PAUSED campaign ${WELCOME_CAMPAIGN_ID} at ${summary.circuitBreaker?.pause?.at} (carrier_block_rate)`,
    );
    expect(dashboard).toMatch(/\n {2}carrier_block_rate: +[\d.]+% \(\d+ of \d+\), threshold 2% {2}CROSSED\n/);
    expect(dashboard).toMatch(
      new RegExp(`\\n {2}sends saved: +${summary.circuitBreaker?.sendsSaved} \\(.*notified: yes\\)\\n`),
    );
  });
});
