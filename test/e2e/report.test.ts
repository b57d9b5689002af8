/**
 * report.html in a real headless browser (Debian's chromium driven by playwright-core): every chart
 * is drawn with data, and the page asks the network for nothing (it must work offline, no CDN).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { measureMessage } from "../../core/campaign/encoding";
import { normalizePhoneNumber } from "../../core/campaign/phone";
import { DEFAULT_PRICE_TABLE, estimateCost } from "../../core/campaign/pricing";
import { sendEventIdOf, sendKeyOf } from "../../core/campaign/send-key";
import type { SmsEvent } from "../../core/events/schema";
import { welcomeSeries } from "../../journeys";
import { generateAudience } from "../../providers/local/bootstrap/audience";
import { loadAwsStackConfig } from "../../providers/local/bootstrap/stack-config";
import { REPLY_BODIES } from "../../providers/local/carrier/fate";
import type { RunSummary } from "../../providers/local/report/run-summary";
import { writeRunOutputs } from "../../providers/local/report/write-outputs";
import {
  CAMPAIGN_ID,
  CONFIRMATION_TEMPLATE,
  runLocal,
  WELCOME_CAMPAIGN_ID,
} from "../../providers/local/run/local-run";
import { downloadedEvents } from "../support/archive";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const CHARTS = ["chart-funnel", "chart-journey", "chart-rates", "chart-keywords", "chart-cost"];

const suite = hasChromium
  ? "the offline HTML report"
  : "the offline HTML report (skipped: /usr/bin/chromium is not installed; apt-get install chromium)";

describe.skipIf(!hasChromium)(suite, () => {
  const out = mkdtempSync(join(tmpdir(), "sms-local-report-"));
  let browser: Browser;
  let reportUrl: string;
  let summary: RunSummary;
  /** The archive as the run left it on disk: the expected figures are derived from its rows here. */
  let archived: SmsEvent[];

  beforeAll(async () => {
    summary = await runLocal({
      subscribers: 150,
      seed: 5,
      out,
      rates: { replyRate: 0.4, stopRate: 0.2 },
      stackFile: "Pulumi.aws.yaml",
      // The page is under test here, not the tables' engine (local.test.ts runs both).
      dynamodbLocal: false,
    });
    reportUrl = pathToFileURL((await writeRunOutputs(summary, out)).reportHtml).href;
    archived = await downloadedEvents(join(out, "archive"));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it("draws every chart with data and makes no network request", async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(reportUrl, { waitUntil: "load" });

    for (const id of CHARTS) {
      const chart = page.locator(`svg#${id}`);
      await expect(chart.isVisible()).resolves.toBe(true);
      const box = await chart.boundingBox();
      expect(box?.width ?? 0, id).toBeGreaterThan(100);
      expect(Number(await chart.getAttribute("data-points")), id).toBeGreaterThan(0);
      // Marks with a drawn size: bars wider than zero, or lines with points.
      const marks = await chart.evaluate(
        (svg) =>
          Array.from(svg.querySelectorAll("rect.bar, polyline.series")).filter((mark) => {
            const size = (mark as SVGGraphicsElement).getBBox();
            return size.width > 0 && (mark.tagName === "polyline" || size.height > 0);
          }).length,
      );
      expect(marks, id).toBeGreaterThan(0);
    }
    expect(requests).toEqual([reportUrl]);
    await page.close();
  });

  it("shows the headline figures and the alarm states", async () => {
    const page = await browser.newPage();
    await page.goto(reportUrl);
    const text = (await page.locator("body").textContent()) ?? "";
    for (const label of [
      "Sent",
      "Delivered",
      "Delivery rate",
      "Cost per message",
      "delivery-rate-low",
      "iterator-age-high",
      "Welcome Series journey",
      "Sent: thank-you",
      "Sent: follow-up",
      "Send to reply",
    ]) {
      expect(text).toContain(label);
    }
    await page.close();
  });

  it("keeps the run checks collapsed until opened", async () => {
    const page = await browser.newPage();
    await page.goto(reportUrl);
    const checks = page.locator("details#run-checks");
    const firstCheck = checks.locator("td", { hasText: "eventsPublished = eventsArchived + deadLettered" });
    await expect(checks.locator("summary").textContent()).resolves.toBe("Run checks: all 5 hold");
    await expect(firstCheck.isVisible()).resolves.toBe(false);
    await checks.locator("summary").click();
    await expect(firstCheck.isVisible()).resolves.toBe(true);
    await page.close();
  });

  /** A table's body rows as cell texts. */
  const rowsOf = async (url: string, selector: string) => {
    const page = await browser.newPage();
    await page.goto(url);
    const rows = await page
      .locator(`${selector} tr`)
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent ?? "")),
      );
    await page.close();
    return rows.filter((cells) => cells.length > 0);
  };

  it("labels the received counts: deduplicated replies, per-batch analytics, every archived delivery", async () => {
    const received = archived.filter((event) => event.kind === "received");
    const distinct = new Set(received.map((event) => event.eventId)).size;
    // The carrier knows what it said: each reply once, plus the deliveries it repeated.
    expect(distinct).toBe(summary.carrier.replies);
    expect(received.length).toBe(summary.carrier.replies + summary.carrier.duplicateDeliveries);
    const rows = await rowsOf(reportUrl, "table#received-figures");
    expect(rows.map(([label, value]) => [label, Number(value)])).toEqual([
      ["Replies (deduplicated)", distinct],
      ["Counted by analytics", summary.analytics.counts.Received],
      ["Archived rows", received.length],
    ]);
    // Analytics deduplicates within a batch only: never fewer than the distinct replies, never more than the rows.
    expect(summary.analytics.counts.Received).toBeGreaterThanOrEqual(distinct);
    expect(summary.analytics.counts.Received).toBeLessThanOrEqual(received.length);
  });

  it("shows the automatic HELP/STOP answers' cost apart from the campaign cost", async () => {
    // One HELP text per distinct HELP reply, one confirmation per number's first STOP (replies classified here, not by the run).
    const replies = [
      ...new Map(archived.filter((event) => event.kind === "received").map((e) => [e.eventId, e])).values(),
    ];
    const word = (event: SmsEvent) => (event.body ?? "").trim().toUpperCase();
    const helps = replies.filter((event) => word(event) === "HELP");
    const stoppers = new Set(
      replies.filter((event) => word(event) === "STOP").map((event) => event.phoneNumber),
    );
    const config = loadAwsStackConfig("Pulumi.aws.yaml");
    const priceOf = (to: string | undefined, body: string) =>
      estimateCost(
        normalizePhoneNumber(to ?? "")?.country,
        measureMessage(body).segments,
        DEFAULT_PRICE_TABLE,
      ).totalUsd;
    const helpCost = helps.reduce((sum, event) => sum + priceOf(event.phoneNumber, config.helpText), 0);
    const stopCost = [...stoppers].reduce(
      (sum, phone) => sum + priceOf(phone, config.stopConfirmationText),
      0,
    );
    const campaignCost = archived
      .filter((event) => event.kind === "delivered" || event.kind === "failed")
      .reduce(
        (costs, event) => costs.set(event.eventId, (event.priceUsd ?? 0) + (event.carrierFeeUsd ?? 0)),
        new Map<string, number>(),
      );
    const usd = (value: number) => `$${value.toFixed(value < 1 ? 5 : 2)}`;

    expect(helps.length + stoppers.size).toBeGreaterThan(0);
    const rows = await rowsOf(reportUrl, "table#auto-reply-cost");
    expect(rows).toEqual([
      ["HELP text", String(helps.length), String(helps.length), usd(helpCost)],
      ["STOP confirmation", String(stoppers.size), String(stoppers.size), usd(stopCost)],
    ]);
    const page = await browser.newPage();
    await page.goto(reportUrl);
    const tile = (label: string) => page.locator(".tile", { hasText: label }).locator("b").textContent();
    await expect(tile("HELP/STOP answers cost")).resolves.toBe(usd(helpCost + stopCost));
    await expect(tile("Campaign cost")).resolves.toBe(
      usd([...campaignCost.values()].reduce((a, b) => a + b, 0)),
    );
    await page.close();
  });

  it("lists every campaign step with its message text and figures that add up to the archive's", async () => {
    const distinct = [...new Map(archived.map((event) => [event.eventId, event])).values()];
    const queued = distinct.filter((event) => event.kind === "queued");
    const rows = await rowsOf(reportUrl, "table#step-rows");
    const sends = welcomeSeries.steps.flatMap((step) => (step.type === "send" ? [step] : []));
    expect(rows.map(([campaign, step, text]) => [campaign, step, text])).toEqual([
      [CAMPAIGN_ID, "send", CONFIRMATION_TEMPLATE],
      ...sends.map((step) => [WELCOME_CAMPAIGN_ID, step.id, step.template]),
    ]);
    const column = (index: number) => rows.map((row) => Number(row[index]));
    // The Welcome Series' steps as its own counters in the campaign store counted them.
    expect(column(3)).toEqual([
      queued.filter((event) => event.campaignId === CAMPAIGN_ID).length,
      ...sends.map((step) => summary.journey.sentByStep[step.id] ?? 0),
    ]);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(sum(column(3))).toBe(queued.length);
    expect(sum(column(4))).toBe(distinct.filter((event) => event.kind === "delivered").length);
    const answered = distinct.filter((event) => event.kind === "received" && event.inReplyTo);
    expect(sum(column(5))).toBe(answered.length);
    expect(sum(column(6))).toBeGreaterThan(0);
  });

  it("splits replies by sentiment and samples free-text replies with the numbers masked", async () => {
    const page = await browser.newPage();
    await page.goto(reportUrl);
    const bars = await page
      .locator("svg#chart-sentiment rect.bar")
      .evaluateAll((rects) => rects.map((rect) => Number(rect.getAttribute("data-value"))));
    // Every distinct reply the carrier sent has exactly one sentiment.
    expect(bars).toHaveLength(3);
    expect(bars.reduce((a, b) => a + b, 0)).toBe(summary.carrier.replies);
    await expect(page.locator("h3", { hasText: "Free-text replies" }).textContent()).resolves.toMatch(
      new RegExp(`of ${summary.carrier.repliesByKind.free_text}\\)$`),
    );
    await page.close();

    const samples = await rowsOf(reportUrl, "table#reply-samples");
    expect(samples.length).toBe(Math.min(5, summary.carrier.repliesByKind.free_text));
    const freeText = archived.filter(
      (event) => event.kind === "received" && REPLY_BODIES.free_text.includes(event.body ?? ""),
    );
    const masked = (phone: string) => `${phone.slice(0, 5)}\u2022\u2022\u2022${phone.slice(-4)}`;
    for (const [receivedAt, from, body] of samples) {
      // Several people may send the same words in one minute: one of them wrote this row.
      const writers = freeText
        .filter(
          (event) => event.body === body && event.occurredAt.slice(0, 16).replace("T", " ") === receivedAt,
        )
        .map((event) => masked(event.phoneNumber ?? ""));
      expect(writers, body).toContain(from);
    }
    const html = readFileSync(join(out, "report.html"), "utf8");
    for (const event of freeText) expect(html).not.toContain(event.phoneNumber ?? "never");
  });

  it("lists the messages still held and when they are next tried, after the run's end", async () => {
    const queuedIds = new Set(
      archived.filter((event) => event.kind === "queued").map((event) => event.eventId),
    );
    const welcomeQueued = (subscriberId: string) =>
      queuedIds.has(
        sendEventIdOf(
          sendKeyOf({ campaignId: WELCOME_CAMPAIGN_ID, subscriberId, stepId: "welcome" }),
          "queued",
        ),
      );
    // Enrolled rows (valid numbers) that never got the welcome, less those skipped for good (opted out).
    const valid = generateAudience(150, 5).filter(
      (member) => normalizePhoneNumber(member.phoneNumber)?.e164 === member.phoneNumber,
    );
    const skipped = Object.values(summary.journey.suppressed).reduce((a, b) => a + b, 0);
    const expectedHeld = valid.filter((member) => !welcomeQueued(member.subscriberId)).length - skipped;

    const rows = await rowsOf(reportUrl, "table#held-sends");
    // This seed's held sends all go out before the run ends; the table then says so.
    if (expectedHeld === 0) expect(rows).toEqual([["none held"]]);
    const welcomeRows = rows.filter(([step]) => step === "welcome");
    expect(welcomeRows.reduce((sum, [, messages]) => sum + Number(messages), 0)).toBe(expectedHeld);
    for (const [, , nextAttempt] of rows.filter((cells) => cells.length === 3)) {
      expect(Date.parse(nextAttempt.replace(" ", "T").replace(" UTC", "Z"))).toBeGreaterThan(
        Date.parse(summary.journey.finishedAt) - 60_000,
      );
    }
  });
});
