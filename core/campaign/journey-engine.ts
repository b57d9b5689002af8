import type { SmsEvent } from "../events/schema";
import type { JourneyState, JourneyStore, Subscriber, SubscriberDirectory } from "../ports";
import { type DispatchDeps, type DispatchOutcome, dispatchMessage } from "./dispatch";
import type { Journey } from "./journey";
import { normalizePhoneNumber } from "./phone";
import { assessMessage } from "./policy";
import { nextVersion, type RouteOptions, routeReply } from "./reply-routing";

export interface JourneyDeps extends DispatchDeps {
  journeys: JourneyStore;
  subscribers: SubscriberDirectory;
}

/** How long a send waits before trying again when the zone is unknown or the provider failed. */
const RECHECK_UNKNOWN_ZONE_MS = 24 * 3_600_000;
const RETRY_FAILED_SEND_MS = 5 * 60_000;
/** Guards against a journey that loops on itself without waiting. */
const MAX_STEPS_PER_ADVANCE = 100;

/** What a tick does with a due journey: run it, push its wake-up back (paused), or end it (cancelled). */
export type TickControl = "run" | "defer" | "end";

/** Hears what a tick did, so a deployed ticker can count it per campaign. */
export interface TickObserver {
  outcome?(journey: Journey, stepId: string, outcome: DispatchOutcome): void;
  ended?(journeyId: string, how: "completed" | "cancelled"): void;
}

export interface TickOptions {
  /** Message parts this tick may send; a send is started only while some remain. */
  maxParts?: number;
  /** Decides per journey id; without it, journeys with no definition are left where they are. */
  control?: (journeyId: string) => TickControl;
  /** How far "defer" moves a wake-up (default one minute), so paused journeys do not crowd the due list. */
  deferMs?: number;
  observer?: TickObserver;
  /**
   * Due journeys advanced at once (default 1). Sends reserve their parts from `maxParts` before
   * they start, so the allowance holds whatever runs alongside; concurrency lets a tick's sends
   * share stream writes instead of waiting for each other's.
   */
  concurrency?: number;
}

export interface EnrollOptions {
  /**
   * Leaves the first send due now instead of sending it, so the ticker sends it within the
   * stack-wide MPS; how a deployed enrollment enrolls.
   */
  deferSends?: boolean;
}

/** One advance's context: what is left of the tick's send allowance, and who hears about it. */
interface AdvanceContext {
  quota?: { remainingParts: number };
  observer?: TickObserver;
}

const DEFAULT_DEFER_MS = 60_000;

export interface JourneyEngine {
  /** Starts a subscriber on a journey (idempotent: an existing enrolment is returned as is). */
  enroll(journeyId: string, subscriber: Subscriber, options?: EnrollOptions): Promise<JourneyState>;
  /**
   * Wakes every journey due at `now`: ends waits, times out branches, retries held sends. With
   * `maxParts`, the tick stops starting sends once that many message parts went out (the MPS times
   * the tick interval); the journeys it did not reach stay due for the next tick.
   */
  tickJourneys(now?: Date, options?: TickOptions): Promise<number>;
  /**
   * Routes an inbound reply: a STOP-family reply ends every journey of its subscriber at once;
   * any other reply moves the journeys waiting on a branch for that keyword. Returns how many moved.
   */
  onReply(event: SmsEvent, options?: RouteOptions): Promise<number>;
}

export { replyKeyword } from "./reply-routing";

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
    const next = nextVersion(state, changes, deps.clock.now());
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
  const advance = async (
    initial: JourneyState,
    waking: boolean,
    context: AdvanceContext = {},
  ): Promise<void> => {
    const { quota, observer } = context;
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
        // Out of allowance already: no subscriber read. Checked again after it, just before reserving.
        const subscriber = quota && quota.remainingParts <= 0 ? undefined : await subscriberOf(state);
        const country = subscriber && normalizePhoneNumber(subscriber.phoneNumber)?.country;
        const assessment = subscriber && assessMessage(subscriber, country, step.template, deps.policy);
        // Checked and reserved with no await in between, so concurrent advances cannot both take the last parts.
        const reserved = quota && assessment ? reserveParts(quota, assessment.measure.segments) : 0;
        if (!subscriber || !assessment || reserved === undefined) {
          // Out of this tick's allowance: due again at once, so the next tick picks it up first.
          if (state.status !== "waiting") {
            await save(state, { status: "waiting", wakeAt: deps.clock.now().toISOString() });
          }
          break;
        }
        const outcome = await dispatchMessage(deps, {
          identity: {
            journeyId: journey.name,
            ...(journey.campaignId ? { campaignId: journey.campaignId } : {}),
            subscriberId: state.subscriberId,
            stepId: step.id,
          },
          subscriber,
          country,
          template: step.template,
          messageType: step.messageType,
          assessment,
        });
        // Only a send spends parts, and it spends what the provider reports.
        if (quota) quota.remainingParts += reserved - (outcome.kind === "sent" ? outcome.segments : 0);
        observer?.outcome?.(journey, step.id, outcome);
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
    if (state?.status === "done") observer?.ended?.(journey.id, "completed");
  };

  /** Takes the message's parts from the allowance while any remain; undefined when none do. */
  const reserveParts = (quota: { remainingParts: number }, parts: number): number | undefined => {
    if (quota.remainingParts <= 0) return undefined;
    quota.remainingParts -= parts;
    return parts;
  };

  const control = async (
    state: JourneyState,
    decision: TickControl,
    deferMs: number,
    observer?: TickObserver,
  ) => {
    if (decision === "end") {
      if (await save(state, { status: "done" })) observer?.ended?.(state.journeyId, "cancelled");
    } else if (decision === "defer") {
      await save(state, { wakeAt: new Date(deps.clock.now().getTime() + deferMs).toISOString() });
    }
  };

  return {
    async enroll(journeyId, subscriber, options = {}) {
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
      await advance(state, false, options.deferSends ? { quota: { remainingParts: 0 } } : {});
      return (await deps.journeys.get(journeyId, subscriber.subscriberId)) ?? state;
    },

    async tickJourneys(now = deps.clock.now(), options = {}) {
      const seen = new Set<string>();
      const context: AdvanceContext = {
        ...(options.maxParts === undefined ? {} : { quota: { remainingParts: options.maxParts } }),
        ...(options.observer ? { observer: options.observer } : {}),
      };
      const decide = (journeyId: string): TickControl | "skip" => {
        if (options.control) return options.control(journeyId);
        return byId.has(journeyId) ? "run" : "skip";
      };
      let advanced = 0;
      for (;;) {
        if (context.quota && context.quota.remainingParts <= 0) return advanced;
        const due = (await deps.journeys.due(now.toISOString(), 100)).filter(
          (state) => !seen.has(`${state.journeyId}/${state.subscriberId}/${state.version}`),
        );
        if (due.length === 0) return advanced;
        for (const state of due) seen.add(`${state.journeyId}/${state.subscriberId}/${state.version}`);
        await forEachConcurrently(due, options.concurrency ?? 1, async (state) => {
          const decision = decide(state.journeyId);
          if (decision === "run" && byId.has(state.journeyId)) {
            await advance(state, true, context);
            advanced++;
          } else if (decision === "defer" || decision === "end") {
            await control(state, decision, options.deferMs ?? DEFAULT_DEFER_MS, options.observer);
          }
        });
      }
    },

    async onReply(event, options) {
      const moved = await routeReply(
        event,
        {
          journeys: deps.journeys,
          subscribers: deps.subscribers,
          definitions: byId,
          now: () => deps.clock.now(),
        },
        options,
      );
      // Taken branches run their next step at once here; a deployed consumer leaves that to the ticker.
      for (const state of moved) if (state.status !== "done") await advance(state, true);
      return moved.length;
    },
  };
}

/** Runs `work` over the items with at most `limit` at once, in order of start. */
async function forEachConcurrently<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
