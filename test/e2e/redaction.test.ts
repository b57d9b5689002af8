/**
 * Redaction, proven on a whole local run: every handler logs as deployed (`functionLogs`: the
 * Powertools logger at DEBUG, the Azure Functions library's console, GCP's JSON lines), and every
 * line written to stdout, stderr or the console, plus the run's own log, is scanned for the
 * audience's phone numbers, any E.164 number at all, and the text of every message sent or
 * received. A small audience with many replies keeps it under a minute per cloud.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { format } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { normalizePhoneNumber } from "../../core/campaign/phone";
import { gcpEmulatorsUnavailable } from "../../providers/gcp/emulators";
import { generateAudience } from "../../providers/local/bootstrap/audience";
import type { LocalCloudName } from "../../providers/local/clouds/local-cloud";
import { runLocal } from "../../providers/local/run/local-run";
import { downloadedEvents } from "../support/archive";

const SUBSCRIBERS = 60;
const SEED = 1_010;
/** Many replies of every kind, some receipts garbled (dead letters), some failures. */
const RATES = {
  replyRate: 0.6,
  stopRate: 0.2,
  helpRate: 0.15,
  freeTextRate: 0.4,
  duplicateRate: 0.1,
  poisonRate: 0.1,
  deliveryFailureRate: 0.1,
};
/** Shorter texts ("YES", "Stop") are words a log may say for other reasons (a keyword count). */
const MIN_BODY_CHARS = 10;
/** A + and 8 to 15 digits, not inside a longer run: E.164 as any log would print it. */
const E164 = /(?<![\w+])\+[1-9]\d{7,14}(?!\d)/;

type Console4 = Pick<Console, "log" | "info" | "warn" | "error" | "debug" | "trace">;
const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;

/**
 * Records every line written to stdout, stderr or the console until `stop`, and keeps them off
 * the test's output (hundreds of DEBUG lines would bury it). Console calls are taken as they are
 * made, since the test runner's console does not go through process.stdout.
 */
function captureOutput() {
  const lines: string[] = [];
  const take = (text: string) => {
    for (const line of text.split("\n")) if (line.trim() !== "") lines.push(line);
  };
  const { stdout, stderr } = process;
  const writes = { out: stdout.write, err: stderr.write };
  const consoles: Partial<Console4> = {};
  const streamWrite = (chunk: unknown, ...rest: unknown[]): boolean => {
    take(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString());
    const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
    callback?.();
    return true;
  };
  stdout.write = streamWrite as typeof stdout.write;
  stderr.write = streamWrite as typeof stderr.write;
  for (const method of CONSOLE_METHODS) {
    consoles[method] = console[method];
    // As the console itself renders them: errors with their message and stack, objects inspected.
    console[method] = (...args: unknown[]) => take(format(...args));
  }
  return {
    lines,
    take,
    stop() {
      stdout.write = writes.out;
      stderr.write = writes.err;
      for (const method of CONSOLE_METHODS) console[method] = consoles[method] as never;
    },
  };
}

interface Scan {
  lines: string[];
  numbers: string[];
  bodies: string[];
  sent: number;
  replies: number;
}

async function scannedRun(cloud: LocalCloudName): Promise<Scan> {
  const out = mkdtempSync(join(tmpdir(), `sms-redaction-${cloud}-`));
  const numbers = generateAudience(SUBSCRIBERS, SEED).flatMap((member) => {
    const e164 = normalizePhoneNumber(member.phoneNumber)?.e164;
    // The number as E.164 and as bare digits (a form-encoded %2B… or a national rendering).
    return e164 ? [e164, e164.slice(1)] : [];
  });
  const bodies = new Set<string>();
  let sent = 0;
  const capture = captureOutput();
  try {
    const summary = await runLocal(
      { cloud, subscribers: SUBSCRIBERS, seed: SEED, out, rates: RATES, functionLogs: true },
      {
        log: capture.take,
        onSend: (request) => {
          sent++;
          bodies.add(request.body);
        },
      },
    );
    expect(summary.invariants.every((invariant) => invariant.holds)).toBe(true);
    const replies = (await downloadedEvents(join(out, "archive"))).filter((e) => e.kind === "received");
    for (const reply of replies) if (reply.body) bodies.add(reply.body);
    return {
      lines: capture.lines,
      numbers,
      bodies: [...bodies].filter((body) => body.length >= MIN_BODY_CHARS),
      sent,
      replies: replies.length,
    };
  } finally {
    capture.stop();
    rmSync(out, { recursive: true, force: true });
  }
}

/** The words around what leaked, so a failure shows which line said it. */
const around = (line: string, found: string) => {
  const at = line.indexOf(found);
  return line.slice(Math.max(0, at - 80), at + found.length + 40);
};

/** Every leak, as "line n: what: where": the audience's numbers, any E.164 number, any sent or received text. */
function leaksIn(scan: Scan): string[] {
  const leaks: string[] = [];
  scan.lines.forEach((line, index) => {
    const number = scan.numbers.find((n) => line.includes(n)) ?? line.match(E164)?.[0];
    if (number) leaks.push(`line ${index}: number ${number}: …${around(line, number)}…`);
    const body = scan.bodies.find((b) => line.includes(b));
    if (body) leaks.push(`line ${index}: body ${JSON.stringify(body)}: …${around(line, body)}…`);
  });
  return leaks;
}

const gcpUnavailable = gcpEmulatorsUnavailable();

/**
 * What each cloud's functions say when they run, so the scan is known to have read them. GCP's
 * consumers log only a failure (Cloud Run logs each request itself), so there the ticker and
 * enrollment speak for the functions.
 */
const CLOUDS: { cloud: LocalCloudName; markers: string[]; skip?: string }[] = [
  {
    cloud: "aws",
    markers: [
      '"service":"sms-sms-responses"',
      '"service":"sms-sms-analytics"',
      '"service":"sms-sms-archive"',
      '"message":"journey tick"',
      '"message":"enrollment chunk"',
    ],
  },
  { cloud: "azure", markers: ["batch handled", "archived", "campaign tick", "enrollment chunk"] },
  {
    cloud: "gcp",
    markers: ['"message":"journey tick"', '"message":"enrollment chunk"'],
    ...(gcpUnavailable ? { skip: gcpUnavailable } : {}),
  },
];

describe("no phone number or message text in any log line of a local run", () => {
  const outputs: string[] = [];
  afterAll(() => {
    for (const line of outputs) console.log(line);
  });

  for (const { cloud, markers, skip } of CLOUDS) {
    const test = skip ? it.skip : it;
    test(`${cloud}${skip ? ` (skipped: ${skip})` : ""}: every handler logs, and no line names a subscriber or quotes a message`, async () => {
      const scan = await scannedRun(cloud);
      const summary = `${cloud}: scanned ${scan.lines.length} log lines for ${scan.numbers.length / 2} numbers and ${scan.bodies.length} message texts (${scan.sent} sends, ${scan.replies} replies)`;
      outputs.push(summary);
      // The scan means something only if the functions did log, and the run sent and received.
      expect(markers.filter((marker) => !scan.lines.some((line) => line.includes(marker)))).toEqual([]);
      expect(scan.sent).toBeGreaterThan(SUBSCRIBERS / 2);
      expect(scan.replies).toBeGreaterThan(10);
      expect(scan.bodies.length).toBeGreaterThan(SUBSCRIBERS / 2);
      expect(leaksIn(scan)).toEqual([]);
    }, 240_000);
  }
});
