import { describe, expect, it } from "vitest";
import type { JourneyStep } from "../../../core/campaign/journey";
import type { JourneyState } from "../../../core/ports";
import { heldSendsOf } from "../../../providers/local/report/held-sends";

const STEPS: JourneyStep[] = [
  { type: "send", id: "welcome", template: "Hi", messageType: "promotional" },
  { type: "wait", id: "pause", durationMs: 60_000 },
  { type: "send", id: "follow-up", template: "Still there?", messageType: "promotional" },
];

const state = (subscriberId: string, fields: Partial<JourneyState>): JourneyState => ({
  journeyId: "local-welcome",
  subscriberId,
  phoneNumber: "+12125550100",
  stepId: "welcome",
  status: "waiting",
  version: 1,
  updatedAt: "2026-06-16T18:00:00.000Z",
  ...fields,
});

describe("held sends at the end of a run", () => {
  it("groups journeys waiting on a send step by step and next attempt, earliest first", () => {
    const held = heldSendsOf(
      [
        state("a", { wakeAt: "2026-06-17T22:00:00.000Z" }),
        state("b", { wakeAt: "2026-06-17T22:00:30.000Z" }),
        state("c", { wakeAt: "2026-06-17T08:00:00.000Z", stepId: "follow-up" }),
        // Waiting out a wait step, done, or another journey: not held sends.
        state("d", { wakeAt: "2026-06-17T09:00:00.000Z", stepId: "pause" }),
        state("e", { status: "done", wakeAt: "2026-06-17T09:00:00.000Z" }),
        state("f", { journeyId: "other", wakeAt: "2026-06-17T09:00:00.000Z" }),
      ],
      "local-welcome",
      STEPS,
    );
    expect(held).toEqual([
      { stepId: "follow-up", goesOutAt: "2026-06-17T08:00Z", messages: 1 },
      { stepId: "welcome", goesOutAt: "2026-06-17T22:00Z", messages: 2 },
    ]);
  });
});
