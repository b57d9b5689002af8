import type { SmsEvent } from "../events/schema";
import type { JourneyState, JourneyStore, Subscriber, SubscriberDirectory } from "../ports";
import { type DispatchDeps, type DispatchOutcome, dispatchMessage } from "./dispatch";
import type { Journey } from "./journey";
import { normalizePhoneNumber } from "./phone";

export interface JourneyDeps extends DispatchDeps {
  journeys: JourneyStore;
  subscribers: SubscriberDirectory;
}

/** How long a send waits before trying again when the zone is unknown or the provider failed. */
const RECHECK_UNKNOWN_ZONE_MS = 24 * 3_600_000;
const RETRY_FAILED_SEND_MS = 5 * 60_000;
/** Guards against a journey that loops on itself without waiting. */
const MAX_STEPS_PER_ADVANCE = 100;

export interface JourneyEngine {
  /** Starts a subscriber on a journey (idempotent: an existing enrolment is returned as is). */
  enroll(journeyId: string, subscriber: Subscriber): Promise<JourneyState>;
  /** Wakes every journey due at `now`: ends waits, times out branches, retries held sends. */
  tickJourneys(now?: Date): Promise<number>;
  /** Routes an inbound reply to the journeys of its subscriber waiting on a branch. */
  onReply(event: SmsEvent): Promise<number>;
}

/** The reply keyword: the event's, else the first word of the body, upper-cased. */
export function replyKeyword(event: SmsEvent): string | undefined {
  const word = event.keyword ?? event.body?.trim().split(/\s+/)[0];
  return word ? word.toUpperCase().replace(/[^\p{L}\p{N}]/gu, "") : undefined;
}

export function createJourneyEngine(definitions: Journey[], deps: JourneyDeps): JourneyEngine {
  const byId = new Map(definitions.map((definition) => [definition.id, definition.validate()]));

  const definitionOf = (journeyId: string): Journey => {
    const definition = byId.get(journeyId);
    if (!definition) throw new Error(`unknown journey: ${journeyId}`);
    return definition;
  };

  /** Writes the next version; false when someone else advanced the journey first. */
  const save = async (
    state: JourneyState,
    changes: Partial<JourneyState>,
  ): Promise<JourneyState | undefined> => {
    const next: JourneyState = {
      ...state,
      ...changes,
      version: state.version + 1,
      updatedAt: deps.clock.now().toISOString(),
    };
    if (next.status !== "waiting") delete next.wakeAt;
    if (next.lastReply === undefined) delete next.lastReply;
    return (await deps.journeys.put(next, state.version)) ? next : undefined;
  };

  const subscriberOf = async (state: JourneyState): Promise<Subscriber> =>
    (await deps.subscribers.get(state.subscriberId)) ?? {
      subscriberId: state.subscriberId,
      phoneNumber: state.phoneNumber,
      attributes: {},
    };

  const moveTo = (state: JourneyState, stepId: string | undefined) =>
    stepId ? save(state, { stepId, status: "active" }) : save(state, { status: "done" });

  const afterSend = (state: JourneyState, outcome: DispatchOutcome, journey: Journey) => {
    const now = deps.clock.now().getTime();
    switch (outcome.kind) {
      case "held":
        return save(state, {
          status: "waiting",
          wakeAt: new Date(outcome.notBefore?.getTime() ?? now + RECHECK_UNKNOWN_ZONE_MS).toISOString(),
        });
      case "failed":
        return save(state, { status: "waiting", wakeAt: new Date(now + RETRY_FAILED_SEND_MS).toISOString() });
      case "suppressed":
        // An opted-out or unreachable number gets nothing further from this journey.
        if (outcome.reason === "opted_out" || outcome.reason === "invalid_number") {
          return save(state, { status: "done" });
        }
        return moveTo(state, journey.stepAfter(state.stepId)?.id);
      default:
        return moveTo(state, journey.stepAfter(state.stepId)?.id);
    }
  };

  /** Runs steps until the journey waits or ends. `waking` = a due wait/branch/held send fired. */
  const advance = async (initial: JourneyState, waking: boolean): Promise<void> => {
    const journey = definitionOf(initial.journeyId);
    let state: JourneyState | undefined = initial;
    let wokenStep = waking ? initial.stepId : undefined;
    for (let i = 0; state && state.status !== "done" && i < MAX_STEPS_PER_ADVANCE; i++) {
      const step = journey.step(state.stepId);
      if (!step || step.type === "end") {
        state = await save(state, { status: "done" });
        break;
      }
      const woken = wokenStep === step.id;
      wokenStep = undefined;
      if (step.type === "send") {
        const subscriber = await subscriberOf(state);
        const outcome = await dispatchMessage(deps, {
          identity: { journeyId: journey.id, subscriberId: state.subscriberId, stepId: step.id },
          subscriber,
          country: normalizePhoneNumber(subscriber.phoneNumber)?.country,
          template: step.template,
          messageType: step.messageType,
        });
        state = await afterSend(state, outcome, journey);
        if (outcome.kind === "held" || outcome.kind === "failed") break;
      } else if (step.type === "wait") {
        if (woken) {
          state = await moveTo(state, journey.stepAfter(step.id)?.id);
        } else {
          const wakeAt = new Date(deps.clock.now().getTime() + step.durationMs).toISOString();
          state = await save(state, { status: "waiting", wakeAt });
          break;
        }
      } else if (woken) {
        state = await moveTo(state, step.onTimeout);
      } else {
        const wakeAt = new Date(deps.clock.now().getTime() + step.timeoutMs).toISOString();
        state = await save(state, { status: "waiting", wakeAt, lastReply: undefined });
        break;
      }
    }
  };

  return {
    async enroll(journeyId, subscriber) {
      const journey = definitionOf(journeyId);
      const first = journey.firstStep;
      const state: JourneyState = {
        journeyId,
        subscriberId: subscriber.subscriberId,
        phoneNumber: subscriber.phoneNumber,
        stepId: first?.id ?? "",
        status: first ? "active" : "done",
        version: 1,
        updatedAt: deps.clock.now().toISOString(),
      };
      if (!(await deps.journeys.put(state, 0))) {
        const existing = await deps.journeys.get(journeyId, subscriber.subscriberId);
        if (existing) return existing;
      }
      await advance(state, false);
      return (await deps.journeys.get(journeyId, subscriber.subscriberId)) ?? state;
    },

    async tickJourneys(now = deps.clock.now()) {
      const seen = new Set<string>();
      for (;;) {
        const due = (await deps.journeys.due(now.toISOString(), 100)).filter(
          (state) =>
            byId.has(state.journeyId) &&
            !seen.has(`${state.journeyId}/${state.subscriberId}/${state.version}`),
        );
        if (due.length === 0) return seen.size;
        for (const state of due) {
          seen.add(`${state.journeyId}/${state.subscriberId}/${state.version}`);
          await advance(state, true);
        }
      }
    },

    async onReply(event) {
      if (event.kind !== "received") return 0;
      const keyword = replyKeyword(event);
      const subscriberId =
        event.subscriberId ??
        (event.phoneNumber ? await deps.subscribers.findByPhone(event.phoneNumber) : undefined)?.subscriberId;
      if (!keyword || !subscriberId) return 0;
      let advanced = 0;
      for (const state of await deps.journeys.bySubscriber(subscriberId)) {
        const step = byId.get(state.journeyId)?.step(state.stepId);
        if (state.status !== "waiting" || step?.type !== "branch") continue;
        const target = step.on[keyword];
        if (!target) continue;
        const moved = await save(state, { stepId: target, status: "active", lastReply: keyword });
        if (moved) {
          advanced++;
          await advance(moved, false);
        }
      }
      return advanced;
    },
  };
}
