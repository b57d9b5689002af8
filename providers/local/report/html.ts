/**
 * report.html: one self-contained page (inline CSS and SVG, no script, no external request) that
 * opens offline. Charts: the delivery funnel, the Welcome Series journey, rates over time, reply
 * keywords, cost.
 */
import type { AnswerCost } from "./auto-reply-cost";
import type { RunSummary } from "./run-summary";
import type { TimelinePoint } from "./summary";
import { barChartSvg, escapeXml, lineChartSvg } from "./svg";

const count = (value: number) => value.toLocaleString("en-US");
const pct = (value: number) => `${value.toFixed(2)} %`;
const usd = (value: number) => `$${value.toFixed(value < 1 ? 5 : 2)}`;

/** At most `buckets` points: consecutive minutes are merged so long runs stay readable. */
function bucketTimeline(timeline: TimelinePoint[], buckets = 40): TimelinePoint[] {
  const size = Math.max(1, Math.ceil(timeline.length / buckets));
  const merged: TimelinePoint[] = [];
  for (let start = 0; start < timeline.length; start += size) {
    const slice = timeline.slice(start, start + size);
    merged.push(
      slice.reduce((sum, point) => ({
        minute: sum.minute,
        sent: sum.sent + point.sent,
        delivered: sum.delivered + point.delivered,
        failed: sum.failed + point.failed,
        replies: sum.replies + point.replies,
        optOuts: sum.optOuts + point.optOuts,
      })),
    );
  }
  return merged;
}

/** Cumulative rates at each point in (simulated) time, as a dashboard would show them filling in. */
export function cumulativeRates(timeline: TimelinePoint[]) {
  let delivered = 0;
  let final = 0;
  let replies = 0;
  let optOuts = 0;
  const rate = (numerator: number, denominator: number) =>
    denominator === 0 ? 0 : (numerator / denominator) * 100;
  return bucketTimeline(timeline).map((point) => {
    delivered += point.delivered;
    final += point.delivered + point.failed;
    replies += point.replies;
    optOuts += point.optOuts;
    return {
      label: point.minute.slice(11, 16),
      delivery: rate(delivered, final),
      response: rate(replies, delivered),
      optOut: rate(optOuts, delivered),
    };
  });
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:960px;color:#111827;padding:0 16px}
h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:28px}
.meta{color:#6b7280}.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.tile{border:1px solid #e5e7eb;border-radius:8px;padding:10px}.tile b{display:block;font-size:20px}
table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #e5e7eb;text-align:left}
.fired{color:#b91c1c;font-weight:600}.ok{color:#15803d}svg.chart text{font-size:12px;fill:#374151}
figure{margin:8px 0 0}figcaption{color:#6b7280;font-size:12px}
td.message{max-width:320px;color:#374151;font-size:13px}details{margin-top:28px}details>summary{font-size:17px;font-weight:600;cursor:pointer}`;

const answerRow = (label: string, answers: AnswerCost) =>
  `<tr><td>${escapeXml(label)}</td><td>${count(answers.messages)}</td><td>${count(answers.parts)}</td><td>${usd(answers.costUsd)}</td></tr>`;

/** The collapsed run checks' one-line verdict, so a failure shows without opening them. */
const runChecksVerdict = (summary: RunSummary) => {
  const failing = summary.invariants.filter((invariant) => !invariant.holds).length;
  return failing === 0
    ? `all ${summary.invariants.length} hold`
    : `${failing} of ${summary.invariants.length} FAIL`;
};

export function renderReportHtml(summary: RunSummary): string {
  const tiles = [
    ["Sent", count(summary.sent)],
    ["Delivered", count(summary.delivered)],
    ["Failed", count(summary.failed)],
    ["Replies", count(summary.replies)],
    ["Opt-outs", count(summary.optOuts)],
    ["Delivery rate", pct(summary.deliveryRate)],
    ["Response rate", pct(summary.responseRate)],
    ["Opt-out rate", pct(summary.optOutRate)],
    ["Cost per message", usd(summary.costPerMessageUsd)],
    ["Campaign cost", usd(summary.costUsd)],
    ["HELP/STOP answers cost", usd(summary.autoReplyCost.costUsd)],
  ]
    .map(([label, value]) => `<div class="tile">${escapeXml(label)}<b>${escapeXml(value)}</b></div>`)
    .join("");

  const funnel = barChartSvg(
    "chart-funnel",
    [
      { label: "Audience", value: summary.audience.total, color: "#6b7280" },
      { label: "Sent", value: summary.sent, color: "#2563eb" },
      { label: "Delivered", value: summary.delivered, color: "#16a34a" },
      { label: "Replied", value: summary.replies, color: "#9333ea" },
      { label: "Opted out", value: summary.optOuts, color: "#dc2626" },
    ],
    count,
  );
  const rates = cumulativeRates(summary.timeline);
  const ratesChart = lineChartSvg(
    "chart-rates",
    rates.map((point) => point.label),
    [
      { name: "Delivery %", values: rates.map((point) => point.delivery), color: "#16a34a" },
      { name: "Response %", values: rates.map((point) => point.response), color: "#9333ea" },
      { name: "Opt-out %", values: rates.map((point) => point.optOut), color: "#dc2626" },
    ],
    100,
  );
  const keywords = barChartSvg(
    "chart-keywords",
    Object.entries(summary.repliesByCategory)
      .sort(([, a], [, b]) => b - a)
      .map(([label, value]) => ({ label: label.toUpperCase().replaceAll("_", " "), value })),
    count,
  );
  const cost = barChartSvg(
    "chart-cost",
    Object.entries(summary.costByCountry)
      .sort(([, a], [, b]) => b - a)
      .map(([label, value]) => ({ label, value })),
    (value) => `$${value.toFixed(2)}`,
  );
  const alarms = summary.alarms
    .map(
      (alarm) =>
        `<tr><td>${escapeXml(alarm.name)}</td><td>${escapeXml(alarm.metric)} ${alarm.comparison} ${alarm.threshold} ${escapeXml(alarm.unit)}</td><td>${alarm.value} ${escapeXml(alarm.unit)}</td><td class="${alarm.fired ? "fired" : "ok"}">${alarm.fired ? "would fire" : "ok"}</td></tr>`,
    )
    .join("");
  const invariants = summary.invariants
    .map(
      (invariant) =>
        `<tr><td>${escapeXml(invariant.name)}</td><td>${escapeXml(invariant.detail)}</td><td class="${invariant.holds ? "ok" : "fired"}">${invariant.holds ? "holds" : "FAILS"}</td></tr>`,
    )
    .join("");
  const { journey } = summary;
  const journeyChart = barChartSvg(
    "chart-journey",
    [
      { label: "Enrolled", value: journey.enrolled, color: "#6b7280" },
      ...Object.entries(journey.sentByStep).map(([step, value]) => ({ label: `Sent: ${step}`, value })),
      ...Object.entries(journey.replies).map(([keyword, value]) => ({ label: `Reply ${keyword}`, value })),
      { label: "Stopped", value: journey.done.stopped, color: "#dc2626" },
      { label: "Waiting", value: journey.waiting, color: "#ca8a04" },
    ],
    count,
  );
  const journeyRows = [
    [
      "Held",
      Object.entries(journey.held)
        .map(([reason, n]) => `${reason.replaceAll("_", " ")} ${count(n)}`)
        .join(", ") || "none",
    ],
    [
      "Skipped",
      Object.entries(journey.suppressed)
        .map(([reason, n]) => `${reason.replaceAll("_", " ")} ${count(n)}`)
        .join(", ") || "none",
    ],
    [
      "Done",
      `${count(journey.done.completed)} completed, ${count(journey.done.stopped)} stopped, ${count(journey.done.cancelled)} cancelled`,
    ],
    [
      "Send to reply",
      `median ${(journey.sendToReply.medianSeconds / 60).toFixed(1)} min, p90 ${(journey.sendToReply.p90Seconds / 60).toFixed(1)} min over ${count(journey.sendToReply.replies)} replies`,
    ],
    [
      "Ticker",
      `${count(journey.ticks)} ticks of ${journey.intervalSeconds} s (${count(journey.busyTicks)} found journeys due), ${journey.launchedAt} to ${journey.finishedAt}`,
    ],
  ]
    .map(([label, value]) => `<tr><td>${escapeXml(label)}</td><td>${escapeXml(value)}</td></tr>`)
    .join("");
  const receivedRows = [
    [
      "Replies (deduplicated)",
      summary.received.deduplicated,
      "distinct replies by event id: the Replies tile and the responses table",
    ],
    [
      "Counted by analytics",
      summary.received.analyticsCounted,
      "the Received metric: deduplicated within a batch only, so a redelivery in a later batch counts again",
    ],
    [
      "Archived rows",
      summary.received.archivedRows,
      "every delivery the stream carried, a redelivered reply twice",
    ],
  ]
    .map(
      ([label, value, what]) =>
        `<tr><td>${escapeXml(String(label))}</td><td>${count(Number(value))}</td><td>${escapeXml(String(what))}</td></tr>`,
    )
    .join("");
  const stepRows = summary.steps
    .map(
      (row) =>
        `<tr><td>${escapeXml(row.campaignId)}</td><td>${escapeXml(row.stepId)}</td><td class="message">${escapeXml(row.template)}</td><td>${count(row.sent)}</td><td>${count(row.delivered)}</td><td>${count(row.replies)}</td><td>${count(row.optOuts)}</td><td>${usd(row.costUsd)}</td></tr>`,
    )
    .join("");
  const { replyDigest } = summary;
  const sentiment = barChartSvg(
    "chart-sentiment",
    [
      { label: "Positive", value: replyDigest.sentiment.positive, color: "#16a34a" },
      { label: "Neutral", value: replyDigest.sentiment.neutral, color: "#6b7280" },
      { label: "Negative", value: replyDigest.sentiment.negative, color: "#dc2626" },
    ],
    count,
  );
  const samples = replyDigest.samples
    .map(
      (sample) =>
        `<tr><td>${escapeXml(sample.receivedAt.slice(0, 16).replace("T", " "))}</td><td>${escapeXml(sample.from)}</td><td class="message">${escapeXml(sample.body)}</td></tr>`,
    )
    .join("");
  const heldRows = summary.heldSends
    .map(
      (group) =>
        `<tr><td>${escapeXml(group.stepId)}</td><td>${count(group.messages)}</td><td>${escapeXml(group.goesOutAt.replace("T", " ").replace("Z", " UTC"))}</td></tr>`,
    )
    .join("");
  const failures = Object.entries(summary.failuresByStatus)
    .sort(([, a], [, b]) => b - a)
    .map(([status, value]) => `<tr><td>${escapeXml(status)}</td><td>${count(value)}</td></tr>`)
    .join("");

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>SMS campaign: local run report (${escapeXml(summary.cloud.toUpperCase())})</title><style>${STYLE}</style></head>
<body>
<h1>SMS campaign: local run of the ${escapeXml(summary.cloud.toUpperCase())} stack</h1>
<p class="meta">${count(summary.subscribers)} subscribers, seed ${summary.seed}, simulated start ${escapeXml(summary.simulatedStart)}; ${summary.wallSeconds.toFixed(1)} s wall, ${count(Math.round(summary.eventsPerSecond))} events/s.</p>
<table id="services"><tr><th>the stack deploys</th><th>on this machine</th></tr>${servicesRows(summary)}</table>
<div class="tiles">${tiles}</div>
<h2>Delivery funnel</h2><figure>${funnel}<figcaption>Held: ${count(summary.campaign.heldQuietHours ?? 0)} for quiet hours, ${count(summary.campaign.heldUnknownTimeZone ?? 0)} for an unknown time zone. Skipped: ${count(summary.campaign.suppressedOptedOut ?? 0)} opted out, ${count(summary.campaign.suppressedInvalidNumber ?? 0)} invalid numbers.</figcaption></figure>
<h2>Welcome Series journey</h2><figure>${journeyChart}<figcaption>Campaign ${escapeXml(journey.campaignId)} (${escapeXml(journey.status)}): subscribers per step and branch, from the campaign's counters.</figcaption></figure>
<table>${journeyRows}</table>
<h2>Campaigns and steps</h2><table id="step-rows"><tr><th>campaign</th><th>step</th><th>message</th><th>sent</th><th>delivered</th><th>replies</th><th>opt-outs</th><th>cost</th></tr>${stepRows}</table>
<h2>Held messages</h2><table id="held-sends"><tr><th>step</th><th>messages</th><th>next attempt</th></tr>${heldRows || '<tr><td colspan="3">none held</td></tr>'}</table>
<p class="meta">Held by quiet hours they go out when the recipient's window opens; held for an unknown time zone they are rechecked daily and go out once the record has a zone. Reasons so far: ${escapeXml(
    Object.entries(journey.held)
      .map(([reason, n]) => `${reason.replaceAll("_", " ")} ${count(n)}`)
      .join(", ") || "none",
  )}.</p>
<h2>Rates over time</h2><figure>${ratesChart}<figcaption>Cumulative rates by simulated minute (UTC).</figcaption></figure>
<h2>Reply keywords</h2><figure>${keywords}</figure>
<h2>Sentiment</h2><figure>${sentiment}<figcaption>Distinct replies by sentiment (keywords count as their usual tone).</figcaption></figure>
<h3>Free-text replies (${count(replyDigest.samples.length)} of ${count(replyDigest.freeText)})</h3><table id="reply-samples"><tr><th>received (UTC)</th><th>from</th><th>reply</th></tr>${samples}</table>
<h2>Replies received, three ways</h2><table id="received-figures"><tr><th>figure</th><th>replies</th><th>what it counts</th></tr>${receivedRows}</table>
<h2>Cost</h2><figure>${cost}<figcaption>Campaign messages: price plus carrier fees by destination country; ${usd(summary.costPerMessageUsd)} per message.</figcaption></figure>
<table id="auto-reply-cost"><tr><th>automatic answer</th><th>messages</th><th>parts</th><th>cost</th></tr>${answerRow("HELP text", summary.autoReplyCost.help)}${answerRow("STOP confirmation", summary.autoReplyCost.stop)}</table>
<p class="meta">Automatic answers belong to no campaign, so the campaign cost leaves them out.</p>
<h2>Failures by status</h2><table><tr><th>messageStatus</th><th>messages</th></tr>${failures}</table>
<h2>Alarms</h2><table><tr><th>alarm</th><th>condition</th><th>value</th><th>state</th></tr>${alarms}</table>
<details id="run-checks"><summary>Run checks: ${runChecksVerdict(summary)}</summary><table><tr><th>invariant</th><th>figures</th><th>state</th></tr>${invariants}</table></details>
</body></html>
`;
}

/** What played each service: an emulator, or an in-process stand-in where this machine has none. */
const servicesRows = (summary: RunSummary) =>
  summary.services
    .map(
      (service) =>
        `<tr><td>${escapeXml(service.deployed)}</td><td>${escapeXml(service.local)}${service.simulated ? " <em>(simulated in-process)</em>" : ""}</td></tr>`,
    )
    .join("");
