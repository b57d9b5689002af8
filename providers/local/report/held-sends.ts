/**
 * Messages a journey is holding at the end of the run (quiet hours, or a number whose time zone is
 * unknown) and when each will next be tried: the wake time the engine saved on the journey.
 */
import type { JourneyStep } from "../../../core/campaign/journey";
import type { JourneyState } from "../../../core/ports";

export interface HeldSendGroup {
  stepId: string;
  /** The next attempt (ISO minute, UTC): the quiet-hours window opening, or the time zone recheck. */
  goesOutAt: string;
  messages: number;
}

/** Waiting journeys that sit on a send step are held sends; those on a wait or branch are not. */
export function heldSendsOf(
  states: readonly JourneyState[],
  journeyId: string,
  steps: readonly JourneyStep[],
): HeldSendGroup[] {
  const sendSteps = new Set(steps.filter((step) => step.type === "send").map((step) => step.id));
  const groups = new Map<string, HeldSendGroup>();
  for (const state of states) {
    if (state.journeyId !== journeyId || state.status !== "waiting" || !state.wakeAt) continue;
    if (!sendSteps.has(state.stepId)) continue;
    const goesOutAt = `${new Date(state.wakeAt).toISOString().slice(0, 16)}Z`;
    const key = `${state.stepId} ${goesOutAt}`;
    const group = groups.get(key) ?? { stepId: state.stepId, goesOutAt, messages: 0 };
    group.messages++;
    groups.set(key, group);
  }
  return [...groups.values()].sort(
    (a, b) => a.goesOutAt.localeCompare(b.goesOutAt) || a.stepId.localeCompare(b.stepId),
  );
}
