/**
 * `smsctl query` over an archive the real archive consumer wrote (Parquet, data page v2, ZSTD):
 * every queries/ file answers what the seeded events say, computed here without DuckDB.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archiveHighlights, HIGHLIGHT_QUERIES } from "../../cli/archive-highlights";
import { formatTable, type QueryResult, runQuery } from "../../cli/commands/query";
import { SMS_EVENT_FIELDS, type SmsEvent } from "../../core/events/schema";
import { archiveEvents, batchIdOf } from "../../core/processing/archive";
import { classifyReply, REPLY_KEYWORDS } from "../../core/processing/classify";
import { DirectoryArchive } from "../../providers/local/runtime/directory-archive";
import { MemoryMessageLog } from "../../providers/local/runtime/memory";
import { seededEvents } from "./query-archive";

const ROOT = join(import.meta.dirname, "..", "..");
const QUERIES = join(ROOT, "queries");

const smsctlQuery = (...args: string[]) => {
  const result = spawnSync(process.execPath, ["--import", "tsx", "cli/smsctl.ts", "query", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
};

const events = seededEvents();

/** Map.groupBy, which the compile target (ES2022) lacks. */
function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}
let dir: string;
let archiveDir: string;

/** Archives in the consumer's batches (one per campaign), then redelivers a reply and a receipt. */
async function writeArchive(root: string, batches: SmsEvent[][]): Promise<void> {
  const ports = { archive: new DirectoryArchive(root), messages: new MemoryMessageLog() };
  for (const batch of batches) await archiveEvents(batch, ports, batchIdOf(batch.map((e) => e.eventId)));
}

/** A reply, a receipt and an opt-out the stream delivers twice: the archive stores them twice. */
const redelivered = () =>
  (["received", "delivered", "opted_out"] as const).map((kind) => events.find((e) => e.kind === kind)!);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "smsctl-query-"));
  archiveDir = join(dir, "archive");
  const byCampaign = groupBy(events, (event) =>
    event.kind === "received" ? "replies" : campaignOfMessage(event.messageId!),
  );
  await writeArchive(archiveDir, [...byCampaign.values(), redelivered()]);
  mkdirSync(join(dir, "empty"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runFile = (name: string) => runQuery(readFileSync(join(QUERIES, name), "utf8"), { dir: archiveDir });
const rowsOf = (result: QueryResult) =>
  result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column, row[i]])));

/** A value the SQL rounded to `digits` decimals, against the exact figure. */
const expectRounded = (actual: unknown, exact: number, digits: number) =>
  expect(Math.abs((actual as number) - exact)).toBeLessThanOrEqual(0.5 * 10 ** -digits + 1e-9);

// ---------- the figures, derived from the generated events ----------

interface SendFact {
  messageId: string;
  campaignId: string;
  phoneNumber: string;
  sentAt: number;
}

const sends: SendFact[] = events
  .filter((e) => e.kind === "queued")
  .map((e) => ({
    messageId: e.messageId!,
    campaignId: e.campaignId!,
    phoneNumber: e.phoneNumber!,
    sentAt: Date.parse(e.occurredAt),
  }));

/** The send a reply answers: the one it names, else the newest to its number before it. */
function sendOfReply(reply: SmsEvent): SendFact | undefined {
  const named = sends.find((send) => send.messageId === reply.inReplyTo);
  if (named) return named;
  const at = Date.parse(reply.occurredAt);
  return sends
    .filter((send) => send.phoneNumber === reply.phoneNumber && send.sentAt <= at)
    .sort((a, b) => b.sentAt - a.sentAt)[0];
}

const replies = events.filter((e) => e.kind === "received");
const receiptsOf = (kind: SmsEvent["kind"]) => events.filter((e) => e.kind === kind);
const campaigns = [...new Set(sends.map((send) => send.campaignId))].sort();
const campaignOfMessage = (messageId: string) =>
  sends.find((send) => send.messageId === messageId)!.campaignId;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const costOf = (e: SmsEvent | undefined) =>
  e?.priceUsd === undefined ? undefined : e.priceUsd + (e.carrierFeeUsd ?? 0);

describe("the seeded archive", () => {
  it("holds the redelivered copies in events_raw and each event once in events", async () => {
    const result = await runQuery(
      "SELECT (SELECT count(*) FROM events_raw) AS raw, count(*) AS unique_events, count(DISTINCT eventId) AS ids FROM events",
      { dir: archiveDir },
    );
    expect(rowsOf(result)).toEqual([
      { raw: events.length + redelivered().length, unique_events: events.length, ids: events.length },
    ]);
  });

  it("reads the Parquet columns as the canonical fields plus dt, and events keeps every one of them", async () => {
    const columnsOf = async (view: string) =>
      (await runQuery(`DESCRIBE ${view}`, { dir: archiveDir })).rows.map((row) => row[0]);
    expect(await columnsOf("events_raw")).toEqual([...SMS_EVENT_FIELDS, "dt"]);
    expect(await columnsOf("events")).toEqual([...SMS_EVENT_FIELDS, "dt"]);
  });

  it("spans two UTC days, as the dt partition says", async () => {
    const result = await runQuery("SELECT dt, count(*) AS n FROM events GROUP BY dt ORDER BY dt", {
      dir: archiveDir,
    });
    const perDay = groupBy(events, (e) => e.occurredAt.slice(0, 10));
    expect(rowsOf(result)).toEqual([...perDay].sort().map(([dt, group]) => ({ dt, n: group.length })));
  });
});

describe("queries/", () => {
  it("has the five analyses, each tested below", () => {
    expect(
      readdirSync(QUERIES)
        .filter((f) => f.endsWith(".sql"))
        .sort(),
    ).toEqual([
      "cost-per-campaign.sql",
      "opt-outs-by-day.sql",
      "replies-by-keyword.sql",
      "response-rate-by-campaign.sql",
      "time-to-first-reply.sql",
    ]);
  });

  it("response-rate-by-campaign: repliers per delivered message, each reply counted for the send it answers", async () => {
    const rows = rowsOf(await runFile("response-rate-by-campaign.sql"));
    expect(rows.map((row) => row.campaign_id)).toEqual(campaigns);
    for (const campaignId of campaigns) {
      const delivered = receiptsOf("delivered").filter(
        (e) => campaignOfMessage(e.messageId!) === campaignId,
      ).length;
      const own = replies.filter((reply) => sendOfReply(reply)?.campaignId === campaignId);
      const repliers = new Set(own.map((reply) => reply.phoneNumber)).size;
      const row = rows.find((r) => r.campaign_id === campaignId)!;
      expect({ ...row, response_rate_pct: undefined }).toEqual({
        campaign_id: campaignId,
        delivered,
        replies: own.length,
        repliers,
        response_rate_pct: undefined,
      });
      expectRounded(row.response_rate_pct, (100 * repliers) / delivered, 1);
    }
  });

  it("opt-outs-by-day: numbers opting out by STOP reply or carrier receipt, once per number and day", async () => {
    const rows = rowsOf(await runFile("opt-outs-by-day.sql"));
    const stopReplies = replies.filter((reply) => classifyReply(reply.body!).category === "stop");
    const carrier = receiptsOf("opted_out");
    const days = [...new Set([...stopReplies, ...carrier].map((e) => e.occurredAt.slice(0, 10)))].sort();
    expect(days).toHaveLength(2);
    expect(rows).toEqual(
      days.map((day) => {
        const onDay = (e: SmsEvent) => e.occurredAt.startsWith(day);
        return {
          day,
          opt_outs: new Set([...stopReplies, ...carrier].filter(onDay).map((e) => e.phoneNumber)).size,
          stop_replies: stopReplies.filter(onDay).length,
          carrier_opt_outs: carrier.filter(onDay).length,
        };
      }),
    );
  });

  it("cost-per-campaign: each message billed once, at its receipt's price or else its estimate", async () => {
    const rows = rowsOf(await runFile("cost-per-campaign.sql"));
    expect(rows.map((row) => row.campaign_id)).toEqual(campaigns);
    for (const campaignId of campaigns) {
      const own = sends.filter((send) => send.campaignId === campaignId);
      const delivered = own.filter((send) =>
        receiptsOf("delivered").some((e) => e.messageId === send.messageId),
      ).length;
      const cost = own
        .map((send) => {
          const receipt = events.find(
            (e) => e.messageId === send.messageId && (e.kind === "delivered" || e.kind === "failed"),
          );
          const queued = events.find((e) => e.messageId === send.messageId && e.kind === "queued");
          return costOf(receipt) ?? costOf(queued)!;
        })
        .reduce((sum, usd) => sum + usd, 0);
      const row = rows.find((r) => r.campaign_id === campaignId)!;
      expect([row.messages, row.delivered]).toEqual([own.length, delivered]);
      expectRounded(row.cost_usd, cost, 4);
      expectRounded(row.cost_per_delivered_usd, cost / delivered, 5);
    }
  });

  it("time-to-first-reply: seconds from each replied send to its first reply, to the millisecond", async () => {
    const rows = rowsOf(await runFile("time-to-first-reply.sql"));
    const waits = new Map<string, Map<string, number>>();
    for (const reply of replies) {
      const send = sendOfReply(reply)!;
      const seconds = (Date.parse(reply.occurredAt) - send.sentAt) / 1000;
      const perSend = waits.get(send.campaignId) ?? new Map<string, number>();
      perSend.set(send.messageId, Math.min(perSend.get(send.messageId) ?? Infinity, seconds));
      waits.set(send.campaignId, perSend);
    }
    expect(rows.map((row) => row.campaign_id)).toEqual([...waits.keys()].sort());
    for (const [campaignId, perSend] of waits) {
      const seconds = [...perSend.values()];
      const row = rows.find((r) => r.campaign_id === campaignId)!;
      expect(row.replied_sends).toBe(seconds.length);
      expectRounded(row.avg_seconds, seconds.reduce((a, b) => a + b, 0) / seconds.length, 1);
      expect(row.median_seconds).toBeCloseTo(median(seconds), 6);
      expect(row.min_seconds).toBeCloseTo(Math.min(...seconds), 6);
      expect(row.max_seconds).toBeCloseTo(Math.max(...seconds), 6);
    }
  });

  it("replies-by-keyword: the keyword and category core's classifier gives each reply", async () => {
    const rows = rowsOf(await runFile("replies-by-keyword.sql"));
    const groups = groupBy(replies, (reply) => {
      const { keyword, category } = classifyReply(reply.body!);
      return `${keyword ?? "(free text)"}|${category}`;
    });
    const expected = [...groups].map(([key, group]) => {
      const [keyword, category] = key.split("|");
      return {
        keyword,
        category,
        replies: group.length,
        repliers: new Set(group.map((r) => r.phoneNumber)).size,
      };
    });
    expect(new Set(expected.map((row) => row.category))).toEqual(
      new Set(["yes", "stop", "help", "no", "free_text"]),
    );
    expect(rows).toEqual(
      expected.sort(
        (a, b) => b.replies - a.replies || (a.keyword < b.keyword ? -1 : a.keyword > b.keyword ? 1 : 0),
      ),
    );
  });
});

describe("the replies view", () => {
  it("classifies every carrier keyword, in any case and with trailing words, as core's classifier does", async () => {
    const words = Object.values(REPLY_KEYWORDS).flat();
    const bodies = [
      ...words.flatMap((word) => [word, word.toLowerCase(), `  ${word}! please`]),
      "OPT-OUT",
      "opt outside",
      "Optimal",
      "don't stop",
      "y'all ok?",
      "STOP-ALL",
      "Thanks, great",
      "",
    ];
    const root = join(dir, "keywords");
    await writeArchive(root, [
      bodies.map((body, i) => ({
        eventId: `kw-${i}`,
        schemaVersion: 1,
        kind: "received",
        occurredAt: "2026-11-24T12:00:00.000Z",
        provider: "twilio",
        phoneNumber: "+14255550199",
        body,
      })),
    ]);
    const result = await runQuery("SELECT body, keyword, category FROM replies ORDER BY eventId", {
      dir: root,
    });
    const byBody = new Map(rowsOf(result).map((row) => [row.body, row]));
    for (const body of bodies) {
      const { keyword, category } = classifyReply(body);
      expect(byBody.get(body), body).toEqual({ body, keyword: keyword ?? null, category });
    }
  });
});

describe("smsctl query", () => {
  const sql =
    "SELECT kind, count(*) AS events, min(occurredAt) AS first_at FROM events GROUP BY kind ORDER BY kind";
  const expected = [...groupBy(events, (e) => e.kind)]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, group]) => ({
      kind,
      events: group.length,
      first_at: group.map((e) => e.occurredAt).sort()[0],
    }));

  it("--format json prints one object per row, counts as numbers and timestamps in ISO UTC", () => {
    const result = smsctlQuery(sql, "--dir", archiveDir, "--format", "json");
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual(expected);
  });

  it("--format csv prints a header and RFC 4180 rows, quoting fields with commas or quotes", () => {
    const result = smsctlQuery(
      `SELECT body, 'say "hi"' AS quoted FROM events WHERE body LIKE '%,%' LIMIT 1`,
      "--dir",
      archiveDir,
      "--format",
      "csv",
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('body,quoted\r\n"Thanks, see you there!","say ""hi"""\r\n');
  });

  it("--format table (the default) aligns columns, numbers to the right, and ends with the row count", () => {
    const result = smsctlQuery("--file", "queries/opt-outs-by-day.sql", "--dir", archiveDir);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("day         opt_outs  stop_replies  carrier_opt_outs");
    expect(lines[1]).toBe("----------  --------  ------------  ----------------");
    expect(lines[2]).toMatch(/^2026-11-24 {2}\s+\d+ {2}\s+\d+ {2}\s+\d+$/);
    expect(lines[2]).toHaveLength(lines[1].length);
    expect(lines.at(-1)).toBe("(2 rows)");
  });

  it.each([
    [["SELEC 1"], 1, /^smsctl: Parser Error: syntax error at or near "SELEC"$/],
    [["SELECT * FROM evnts"], 1, /^smsctl: Catalog Error: Table with name evnts does not exist!/],
    [["SELECT 1", "--dir", "no-such-archive"], 2, /^smsctl: --dir no-such-archive: no such directory\./],
    [["SELECT 1", "--dir", "EMPTY"], 1, /^smsctl: the archive is empty: no Parquet files under /],
    [
      ["SELECT 1", "--file", "queries/opt-outs-by-day.sql"],
      2,
      /^smsctl: pass the SQL as an argument or with --file, not both$/,
    ],
    [[], 2, /^smsctl: no SQL\. /],
    [["SELECT 1", "--format", "xml"], 2, /^smsctl: option '--format <format>' argument 'xml' is invalid/],
  ])("%j exits %i with one line on stderr", (args, code, message) => {
    const withDir = args.includes("--dir") ? args : [...args, "--dir", archiveDir];
    const result = smsctlQuery(...withDir.map((arg) => (arg === "EMPTY" ? join(dir, "empty") : arg)));
    expect(result.code).toBe(code);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split("\n")).toHaveLength(1);
  });
});

describe("npm start's closing queries (cli/archive-highlights.ts)", () => {
  it("prints response rate and cost per campaign as smsctl query's tables, under a heading", async () => {
    const text = await archiveHighlights(archiveDir);
    expect(text).toContain("SQL over the archive (DuckDB; smsctl query --file queries/<file>):");
    for (const { title, file } of HIGHLIGHT_QUERIES) {
      expect(text).toContain(`${title} (queries/${file})\n${formatTable(await runFile(file)).trimEnd()}`);
    }
    expect(text).toMatch(/\(3 rows\)\n$/);
  });

  it("says in one line why it could not query, instead of failing the run", async () => {
    const text = await archiveHighlights(join(dir, "no-such-archive"));
    const lines = text.trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(/^skipped: --dir .*no-such-archive: no such directory\./);
    expect(lines.filter((line) => line.startsWith("skipped"))).toHaveLength(1);
  });
});
