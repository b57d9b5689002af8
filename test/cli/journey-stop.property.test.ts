import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { enrollFromCsv, replyOnce, tickOnce } from "../../cli/commands/journey";

const HOUR = 3_600_000;
/** 14:00 in New York, so the welcomes go out at once; later steps may land in quiet hours and wait. */
const START = Date.parse("2026-06-16T18:00:00Z");
const PHONES = ["+12125550101", "+12125550102", "+12125550103"];
const STOP_WORDS = ["STOP", "stop", "Unsubscribe", "cancel please", "QUIT"];
const OTHER_WORDS = ["YES", "yes!", "HELP", "maybe", "NO"];

const root = mkdtempSync(join(tmpdir(), "journey-stop-property-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const csv = join(root, "subscribers.csv");
writeFileSync(
  csv,
  [
    "subscriber_id,phone_number,time_zone,first_name",
    ...PHONES.map((phone, i) => `s${i},${phone},America/New_York,N${i}`),
  ].join("\n"),
);

type Action =
  | { type: "tick"; afterHours: number }
  | { type: "reply"; afterHours: number; who: number; body: string };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant("tick" as const), afterHours: fc.integer({ min: 0, max: 30 }) }),
  fc.record({
    type: fc.constant("reply" as const),
    afterHours: fc.integer({ min: 0, max: 30 }),
    who: fc.integer({ min: 0, max: PHONES.length - 1 }),
    body: fc.constantFrom(...STOP_WORDS, ...OTHER_WORDS),
  }),
);

interface Sent {
  at: string;
  to: string;
  key: string;
}

let runs = 0;

describe("smsctl journey, whatever the order of ticks and replies", () => {
  it("sends no journey step to a number after its STOP", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 8 }), async (actions) => {
        const state = join(root, `run-${++runs}`);
        let now = START;
        const at = () => new Date(now).toISOString();
        await enrollFromCsv({
          journey: "welcome-series",
          subscribers: csv,
          defaultCountry: "US",
          state,
          at: at(),
        });
        const stoppedAt = new Map<string, number>();
        for (const step of actions) {
          now += step.afterHours * HOUR + 60_000;
          if (step.type === "tick") {
            await tickOnce({ provider: "local", state, at: at() });
            continue;
          }
          const from = PHONES[step.who];
          await replyOnce({ from, body: step.body, defaultCountry: "US", state, at: at() });
          if (STOP_WORDS.includes(step.body) && !stoppedAt.has(from)) stoppedAt.set(from, now);
        }
        // Let every journey run to its end, then read what went out.
        now += 72 * HOUR;
        await tickOnce({ provider: "local", state, at: at() });
        const sent = readFileSync(join(state, "sends.jsonl"), "utf8")
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => JSON.parse(line) as Sent);
        const late = sent.filter((s) => {
          const stop = stoppedAt.get(s.to);
          return stop !== undefined && s.key.startsWith("journey:") && Date.parse(s.at) >= stop;
        });
        expect(late).toEqual([]);
        // Every number that never said STOP was sent its welcome.
        for (const phone of PHONES.filter((p) => !stoppedAt.has(p))) {
          expect(sent.some((s) => s.to === phone && s.key.endsWith("/welcome"))).toBe(true);
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
