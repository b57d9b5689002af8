import type { SmsEvent } from "../events/schema";
import type { CampaignStore, JourneyState, JourneyStore, SubscriberDirectory } from "../ports";
import { classifyReplyIntent } from "../processing/reply-intent";
import { CAMPAIGN_COUNTERS, replyCounter } from "./campaign-counters";
import type { Journey } from "./journey";

export interface ReplyRoutingDeps {
  journeys: JourneyStore;
  subscribers: Pick<SubscriberDirectory, "findByPhone">;
  /** A Map of the code's journeys, or a catalog that also finds launched campaigns' journeys. */
  definitions: { get(journeyId: string): Journey | undefined | Promise<Journey | undefined> };
  /** Where a campaign's journey counts its replies per keyword and its STOPs; absent, nothing is counted. */
  campaigns?: Pick<CampaignStore, "addCounts">;
  now: () => Date;
}

/** A STOP retries its write this often against concurrent advances; the send-time opt-out check is the backstop. */
const MAX_WRITE_ATTEMPTS = 5;

/**
 * End User Messaging reports a reply that matches no registered keyword under the account's
 * catch-all keyword, KEYWORD_<account id>: it names no answer, so the body decides.
 */
const CATCH_ALL_KEYWORD = /^KEYWORD_\d{12}$/;

/** The reply keyword: the event's registered one, else the first word of the body, upper-cased. */
export function replyKeyword(event: SmsEvent): string | undefined {
  const registered = event.keyword && !CATCH_ALL_KEYWORD.test(event.keyword) ? event.keyword : undefined;
  const word = registered ?? event.body?.trim().split(/\s+/)[0];
  return word ? word.toUpperCase().replace(/[^\p{L}\p{N}]/gu, "") : undefined;
}

/** The next version of a state, with the store's invariants (no wakeAt unless waiting). */
export function nextVersion(state: JourneyState, changes: Partial<JourneyState>, now: Date): JourneyState {
  const next: JourneyState = {
    ...state,
    ...changes,
    version: state.version + 1,
    updatedAt: now.toISOString(),
  };
  if (next.status !== "waiting") delete next.wakeAt;
  if (next.lastReply === undefined) delete next.lastReply;
  return next;
}

export interface RouteOptions {
  /**
   * Whether the reply revokes consent, as the responses consumer decided it (with its configured
   * thresholds, or after a review was accepted); default: the intent engine's default thresholds.
   */
  isOptOut?: boolean;
}

/**
 * Moves journeys on an inbound reply, writing state only, so it can run in any consumer: an
 * opt-out (a STOP keyword or any revocation the intent engine is sure of) ends every open journey of the subscriber; another keyword takes the matching
 * branch of each journey waiting on one, leaving it due now so the next advance (the engine inline,
 * or the deployed ticker) sends its step. Idempotent: a replayed reply finds nothing left to move.
 * Returns the states it moved, as written.
 */
export async function routeReply(
  event: SmsEvent,
  deps: ReplyRoutingDeps,
  options: RouteOptions = {},
): Promise<JourneyState[]> {
  if (event.kind !== "received" || !event.phoneNumber) return [];
  const keyword = replyKeyword(event);
  const subscriberId =
    event.subscriberId ?? (await deps.subscribers.findByPhone(event.phoneNumber))?.subscriberId;
  if (!keyword || !subscriberId) return [];
  const isStop = options.isOptOut ?? classifyReplyIntent(event.body ?? keyword).optOut.decision === "opt_out";
  return moveJourneys(subscriberId, keyword, isStop, deps);
}

/**
 * Ends every open journey of the number's subscriber, as a STOP reply does: for an opt-out decided
 * later than its reply (an accepted review). Returns the states it ended.
 */
export async function endJourneysOfOptOut(
  phoneNumber: string,
  subscriberId: string | undefined,
  deps: ReplyRoutingDeps,
): Promise<JourneyState[]> {
  const subscriber = subscriberId ?? (await deps.subscribers.findByPhone(phoneNumber))?.subscriberId;
  return subscriber ? moveJourneys(subscriber, "STOP", true, deps) : [];
}

async function moveJourneys(
  subscriberId: string,
  keyword: string,
  isStop: boolean,
  deps: ReplyRoutingDeps,
): Promise<JourneyState[]> {
  const moved: JourneyState[] = [];
  for (const open of await deps.journeys.bySubscriber(subscriberId)) {
    let state: JourneyState | undefined = open;
    for (let attempt = 0; state && attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const definition = await deps.definitions.get(state.journeyId);
      const changes = isStop ? stopChanges(state) : branchChanges(state, keyword, definition, deps.now());
      if (!changes) break;
      const next = nextVersion(state, changes, deps.now());
      if (await deps.journeys.put(next, state.version)) {
        moved.push(next);
        if (definition?.campaignId && deps.campaigns) {
          await deps.campaigns.addCounts(definition.campaignId, replyCounts(isStop, keyword));
        }
        break;
      }
      // Someone advanced it between our read and write: decide again on what is stored now.
      state = await deps.journeys.get(open.journeyId, subscriberId);
    }
  }
  return moved;
}

const stopChanges = (state: JourneyState): Partial<JourneyState> | undefined =>
  state.status === "done" ? undefined : { status: "done", lastReply: "STOP" };

function branchChanges(
  state: JourneyState,
  keyword: string,
  definition: Journey | undefined,
  now: Date,
): Partial<JourneyState> | undefined {
  const step = definition?.step(state.stepId);
  if (state.status !== "waiting" || step?.type !== "branch") return undefined;
  const target = step.on[keyword];
  if (!target) return undefined;
  return { stepId: target, status: "waiting", wakeAt: now.toISOString(), lastReply: keyword };
}

const replyCounts = (isStop: boolean, keyword: string): Record<string, number> =>
  isStop ? { [CAMPAIGN_COUNTERS.stopped]: 1, [CAMPAIGN_COUNTERS.ended]: 1 } : { [replyCounter(keyword)]: 1 };
