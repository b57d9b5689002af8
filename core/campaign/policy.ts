import type { Subscriber } from "../ports";
import { type MessageMeasure, measureMessage } from "./encoding";
import { DEFAULT_PRICE_TABLE, estimateCost, type MessageCost, type PriceTable } from "./pricing";
import { DEFAULT_SEND_WINDOW, nextSendInstant, type SendWindow, sendWindowFor } from "./quiet-hours";
import { renderTemplate, type TemplateValues } from "./template";
import { recipientZones } from "./time-zone";

export interface PolicyConfig {
  /** The base quiet-hours window; stricter states narrow it further. */
  window?: SendWindow;
  prices?: PriceTable;
}

/** What one personalized message is and costs, and where its recipient is. */
export interface MessageAssessment {
  body: string;
  measure: MessageMeasure;
  cost: MessageCost;
  zones?: string[];
  window: SendWindow;
}

export type Timing =
  | { kind: "now" }
  | { kind: "quiet_hours"; notBefore: Date }
  | { kind: "unknown_time_zone" };

/** What a message's placeholders can insert: the subscriber's attributes and id. */
export function templateValuesOf(subscriber: Subscriber): TemplateValues {
  return { ...subscriber.attributes, subscriber_id: subscriber.subscriberId };
}

export function assessMessage(
  subscriber: Subscriber,
  country: string | undefined,
  template: string,
  config: PolicyConfig = {},
  values: TemplateValues = templateValuesOf(subscriber),
): MessageAssessment {
  return assessBody(subscriber, country, renderTemplate(template, values), config);
}

/** assessMessage for a body already rendered (planning renders a compiled template). */
export function assessBody(
  subscriber: Subscriber,
  country: string | undefined,
  body: string,
  config: PolicyConfig = {},
): MessageAssessment {
  return { body, ...assessMeasured(subscriber, country, measureOf(body), config) };
}

/** Everything assessBody gives but the body, for a message already measured (planning). */
export function assessMeasured(
  subscriber: Subscriber,
  country: string | undefined,
  measure: MessageMeasure,
  config: PolicyConfig = {},
): Omit<MessageAssessment, "body"> {
  return {
    measure,
    cost: estimateCost(country, measure.segments, config.prices ?? DEFAULT_PRICE_TABLE),
    zones: recipientZones(subscriber.phoneNumber, country, subscriber.timeZone),
    window: sendWindowFor(subscriber.phoneNumber, config.window ?? DEFAULT_SEND_WINDOW),
  };
}

/**
 * A campaign's messages differ only where attributes differ, so most bodies repeat: each distinct
 * body is measured once (character by character). Bounded; when full it starts over.
 */
const MEASURE_MEMO_LIMIT = 10_000;
const measures = new Map<string, MessageMeasure>();

function measureOf(body: string): MessageMeasure {
  const known = measures.get(body);
  if (known !== undefined) return known;
  const measure = Object.freeze(measureMessage(body));
  if (measures.size >= MEASURE_MEMO_LIMIT) measures.clear();
  measures.set(body, measure);
  return measure;
}

/** Whether the message may go now, and if not, when. Unknown zones are held, never sent blind. */
export function timingOf(assessment: Pick<MessageAssessment, "zones" | "window">, at: Date): Timing {
  if (!assessment.zones) return { kind: "unknown_time_zone" };
  const next = nextSendInstant(at, assessment.zones, assessment.window);
  if (!next) return { kind: "unknown_time_zone" };
  return next.getTime() === at.getTime() ? { kind: "now" } : { kind: "quiet_hours", notBefore: next };
}

/**
 * timingOf for many messages at one instant: the answer depends only on the zones and the window,
 * and an audience has few of each, so each distinct pair is worked out once. Bounded.
 */
export class TimingMemo {
  /** start hour -> end hour -> zones ("\n"-joined when several) -> timing. */
  private readonly known = new Map<number, Map<number, Map<string, Timing>>>();

  constructor(private readonly at: Date) {}

  timingOf(assessment: Pick<MessageAssessment, "zones" | "window">): Timing {
    const { zones, window } = assessment;
    if (!zones) return timingOf(assessment, this.at);
    let byEnd = this.known.get(window.startHour);
    if (byEnd === undefined) {
      byEnd = new Map();
      this.known.set(window.startHour, byEnd);
    }
    let byZones = byEnd.get(window.endHour);
    if (byZones === undefined) {
      byZones = new Map();
      byEnd.set(window.endHour, byZones);
    }
    const zoneKey = zones.length === 1 ? zones[0] : zones.join("\n");
    let timing = byZones.get(zoneKey);
    if (timing === undefined) {
      timing = timingOf(assessment, this.at);
      if (byZones.size >= TIMING_MEMO_LIMIT) byZones.clear();
      byZones.set(zoneKey, timing);
    }
    return timing;
  }
}

const TIMING_MEMO_LIMIT = 1_000;
