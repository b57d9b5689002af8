import type { MessageType } from "../events/schema";
import type { CampaignRecord, CampaignStatus, CampaignStore } from "../ports";
import { Journey, journey } from "./journey";
import type { TickControl } from "./journey-engine";

/** Campaign ids name objects and keys in every cloud, so they stay short, lower-case and URL-safe. */
export const CAMPAIGN_ID_PATTERN = /^[a-z0-9][a-z0-9-]{2,62}$/;

/** Where a campaign's audience is uploaded in the stack's storage; the enrollment function listens here. */
export const CAMPAIGN_PREFIX = "campaigns/";
export const audienceKeyOf = (campaignId: string): string => `${CAMPAIGN_PREFIX}${campaignId}/audience.csv`;

/** The campaign an uploaded audience belongs to, or undefined for any other object. */
export function campaignIdOfKey(key: string): string | undefined {
  const match = /^campaigns\/([^/]+)\/audience\.csv$/.exec(key);
  return match && CAMPAIGN_ID_PATTERN.test(match[1]) ? match[1] : undefined;
}

/** The journey name a one-time confirmation runs under: one send step, the same mechanism as any journey. */
export const MESSAGE_JOURNEY = "message";

export const messageJourney = (text: string, messageType: MessageType = "transactional"): Journey =>
  journey(MESSAGE_JOURNEY, { messageType }).send("message", text);

/** A new campaign's record: enrolling until the enrollment function has read the whole audience. */
export function newCampaignRecord(campaignId: string, source: Journey, now: Date): CampaignRecord {
  if (!CAMPAIGN_ID_PATTERN.test(campaignId)) {
    throw new Error(
      `campaign id ${JSON.stringify(campaignId)}: use 3-63 lower-case letters, digits and dashes`,
    );
  }
  const at = now.toISOString();
  return {
    campaignId,
    journeyName: source.name,
    steps: structuredClone(source.steps),
    status: "enrolling",
    audienceKey: audienceKeyOf(campaignId),
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

/** The journey a campaign runs: keyed by the campaign id, its events named by the journey it came from. */
export const journeyOfCampaign = (record: CampaignRecord): Journey =>
  Journey.fromSteps(record.campaignId, record.steps, {
    campaignId: record.campaignId,
    name: record.journeyName,
  });

/** What the ticker does with a due journey of a campaign in this status. */
export function tickControlOf(status: CampaignStatus): TickControl {
  if (status === "paused") return "defer";
  if (status === "cancelled") return "end";
  return "run";
}

const MAX_WRITE_ATTEMPTS = 5;

/** Rewrites a campaign under optimistic concurrency; `change` returns undefined to leave it as it is. */
export async function updateCampaign(
  store: CampaignStore,
  campaignId: string,
  change: (record: CampaignRecord) => Partial<CampaignRecord> | undefined,
  now: Date,
): Promise<CampaignRecord> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const record = await store.get(campaignId);
    if (!record) throw new Error(`no campaign ${campaignId} in this stack`);
    const changes = change(record);
    if (!changes) return record;
    const next = { ...record, ...changes, version: record.version + 1, updatedAt: now.toISOString() };
    if (await store.put(next, record.version)) return next;
  }
  throw new Error(`campaign ${campaignId} kept changing under us; try again`);
}

export type CampaignAction = "pause" | "resume" | "cancel";

/** The status an action moves a campaign to; cancelling is final, and a campaign still enrolling resumes to enrolling. */
export function statusAfter(record: CampaignRecord, action: CampaignAction): CampaignStatus {
  if (record.status === "cancelled") {
    throw new Error(`campaign ${record.campaignId} is cancelled; a cancelled campaign cannot ${action}`);
  }
  if (action === "cancel") return "cancelled";
  if (action === "pause") return "paused";
  return record.enrolledAt ? "running" : "enrolling";
}

export const controlCampaign = (
  store: CampaignStore,
  campaignId: string,
  action: CampaignAction,
  now: Date,
) =>
  updateCampaign(
    store,
    campaignId,
    (record) => {
      const status = statusAfter(record, action);
      return status === record.status ? undefined : { status, ...controlFields(action, now) };
    },
    now,
  );

/**
 * What an action records beside the status: who paused; and on resume, when, so the circuit
 * breaker judges only what happens after it and does not trip again at once on the old window.
 */
function controlFields(action: CampaignAction, now: Date): Partial<CampaignRecord> {
  if (action === "pause") return { pausedBy: "operator" };
  if (action === "resume") return { pausedBy: undefined, resumedAt: now.toISOString() };
  return { pausedBy: undefined };
}

/** Marks the audience fully read; a paused or cancelled campaign keeps its status. */
export const markEnrolled = (store: CampaignStore, campaignId: string, now: Date) =>
  updateCampaign(
    store,
    campaignId,
    (record) => {
      if (record.enrolledAt) return undefined;
      const status = record.status === "enrolling" ? "running" : record.status;
      return { enrolledAt: now.toISOString(), status };
    },
    now,
  );
