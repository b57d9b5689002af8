/**
 * A simulated SMS carrier behind the SmsSender port. It accepts what a real one accepts, then, on the
 * run's clock (never real sleeps), produces what a real one produces: delivery receipts with End User
 * Messaging v2 statuses and replies (YES, free text, STOP, HELP), in the wire format of the cloud's
 * messaging service (carrier/format.ts). The run collects those emissions in time order and hands
 * them to the cloud's ingress.
 */
import { measureMessage } from "../../../core/campaign/encoding";
import { normalizePhoneNumber } from "../../../core/campaign/phone";
import { DEFAULT_PRICE_TABLE, estimateCost } from "../../../core/campaign/pricing";
import type { Clock, SendRequest, SendResult, SmsSender } from "../../../core/ports";
import { randomFor, seededUuid } from "../run/prng";
import {
  decideFate,
  type FinalStatus,
  type MessageFate,
  type ReplyKind,
  STATUS_DESCRIPTIONS,
  spikedFate,
} from "./fate";
import type { CarrierFormat } from "./format";
import type { CarrierRates } from "./rates";

export type EmissionKind = "receipt" | "reply" | "duplicate_reply" | "poison";

/** One native payload the carrier hands to the stream at a simulated instant. */
export interface CarrierEmission {
  at: Date;
  kind: EmissionKind;
  partitionKey: string;
  data: Uint8Array;
}

export interface CarrierOptions {
  seed: number;
  clock: Clock;
  rates: CarrierRates;
  /** Our sending number; replies are addressed to it. */
  originationNumber: string;
  /** The messaging service's wire format (eumFormat on AWS). */
  format: CarrierFormat;
  /** A deliverability spike: the carrier blocks `share` of this campaign's messages (see spikedFate). */
  spike?: CarrierSpike;
}

export interface CarrierSpike {
  campaignId: string;
  share: number;
}

export interface CarrierStats {
  accepted: number;
  /** Sends accepted for an idempotency key already accepted: a message sent twice. */
  duplicateSends: number;
  rejectedInvalid: number;
  delivered: number;
  failed: number;
  failuresByStatus: Partial<Record<FinalStatus, number>>;
  /** Distinct inbound replies (a duplicated SNS delivery counts once). */
  replies: number;
  repliesByKind: Record<ReplyKind, number>;
  duplicateDeliveries: number;
  poisoned: number;
  /** Readable receipts sent without phone number or context (the documented EventBridge form). */
  phonelessReceipts: number;
  /** Messages the spike blocked (CARRIER_BLOCKED or SPAM); 0 without one. */
  spikeBlocked: number;
}

/** EUM reports prices with 5 decimals. */
const roundPrice = (usd: number) => Math.round(usd * 100_000) / 100_000;

/** Time order; ties keep scheduling order (a duplicate stays after its original). */
const byTime = (a: Scheduled, b: Scheduled) =>
  a.emission.at.getTime() - b.emission.at.getTime() || a.order - b.order;

interface Scheduled {
  emission: CarrierEmission;
  order: number;
}

export class SimulatedCarrier implements SmsSender {
  private queue: Scheduled[] = [];
  private scheduled = 0;
  private readonly statsSoFar: CarrierStats = {
    accepted: 0,
    duplicateSends: 0,
    rejectedInvalid: 0,
    delivered: 0,
    failed: 0,
    failuresByStatus: {},
    replies: 0,
    repliesByKind: { yes: 0, stop: 0, help: 0, free_text: 0 },
    duplicateDeliveries: 0,
    poisoned: 0,
    phonelessReceipts: 0,
    spikeBlocked: 0,
  };

  private readonly acceptedKeys = new Set<string>();

  constructor(private readonly options: CarrierOptions) {}

  async send(request: SendRequest): Promise<SendResult> {
    const parsed = normalizePhoneNumber(request.to);
    if (parsed?.e164 !== request.to) {
      this.statsSoFar.rejectedInvalid++;
      return {
        status: "invalid_number",
        reason: `ValidationException: ${request.to} is not a valid E.164 number`,
      };
    }
    const sentAt = this.options.clock.now();
    const messageId = seededUuid(randomFor(this.options.seed, `message:${request.idempotencyKey}`));
    const measure = measureMessage(request.body);
    const parts = measure.segments;
    const encoding = measure.encoding === "GSM-7" ? "GSM" : "UCS2";
    const country = parsed.country ?? "US";
    const cost = estimateCost(country, parts, DEFAULT_PRICE_TABLE);
    const priceUsd = roundPrice(cost.priceUsd);
    const carrierFeeUsd = roundPrice(cost.carrierFeeUsd);
    this.statsSoFar.accepted++;
    if (this.acceptedKeys.has(request.idempotencyKey)) this.statsSoFar.duplicateSends++;
    this.acceptedKeys.add(request.idempotencyKey);
    this.scheduleOutcome({ request, messageId, sentAt, parts, encoding, country, priceUsd, carrierFeeUsd });
    return { status: "sent", messageId, parts, priceUsd };
  }

  /** Emissions due at or before `until`, in time order; they leave the carrier's queue. */
  takeDue(until: Date): CarrierEmission[] {
    const limit = until.getTime();
    const due: Scheduled[] = [];
    const later: Scheduled[] = [];
    for (const item of this.queue) (item.emission.at.getTime() <= limit ? due : later).push(item);
    this.queue = later;
    return due.sort(byTime).map((item) => item.emission);
  }

  /** Everything still scheduled, in time order. */
  takeAll(): CarrierEmission[] {
    const all = this.queue.sort(byTime).map((item) => item.emission);
    this.queue = [];
    return all;
  }

  /** What happens to a message with this key (a pure function of the seed), spike included. */
  fateOf(idempotencyKey: string, campaignId?: string): MessageFate {
    const { seed, rates, spike } = this.options;
    const fate = decideFate(seed, idempotencyKey, rates);
    return spike && campaignId === spike.campaignId
      ? spikedFate(seed, idempotencyKey, fate, spike.share)
      : fate;
  }

  get pending(): number {
    return this.queue.length;
  }

  get stats(): CarrierStats {
    return structuredClone(this.statsSoFar);
  }

  private schedule(emission: CarrierEmission): void {
    this.queue.push({ emission, order: this.scheduled++ });
  }

  private scheduleOutcome(sent: {
    request: SendRequest;
    messageId: string;
    sentAt: Date;
    parts: number;
    encoding: "GSM" | "UCS2";
    country: string;
    priceUsd: number;
    carrierFeeUsd: number;
  }): void {
    const { request, messageId, sentAt } = sent;
    const { seed, rates } = this.options;
    const fate = this.fateOf(request.idempotencyKey, request.campaignId);
    if (fate.status !== decideFate(seed, request.idempotencyKey, rates).status)
      this.statsSoFar.spikeBlocked++;
    const reportedAt = new Date(sentAt.getTime() + fate.receiptDelayMs);
    // The same key the campaign's own events use (partitionKeyOf), so a subscriber's sent event,
    // receipt and reply share a shard and reach every consumer in order.
    const partitionKey = request.subscriberId ?? request.to;
    const context: Record<string, string> = {};
    if (request.campaignId) context.campaignId = request.campaignId;
    if (request.journeyId) context.journeyId = request.journeyId;
    if (request.subscriberId) context.subscriberId = request.subscriberId;
    const { format } = this.options;
    const phoneless = fate.phoneless && format.phonelessReceipts;
    const receiptBytes = format.receipt({
      eventId: seededUuid(randomFor(seed, `receipt:${messageId}`)),
      messageId,
      origination: request.from ?? this.options.originationNumber,
      ...(phoneless ? {} : { destination: request.to, context }),
      isoCountryCode: sent.country,
      messageType: request.messageType === "transactional" ? "TRANSACTIONAL" : "PROMOTIONAL",
      status: fate.status,
      statusDescription: STATUS_DESCRIPTIONS[fate.status],
      requestedAt: sentAt,
      reportedAt,
      parts: sent.parts,
      priceUsd: sent.priceUsd,
      carrierFeeUsd: sent.carrierFeeUsd,
      encoding: sent.encoding,
    });
    if (fate.status === "DELIVERED") this.statsSoFar.delivered++;
    else {
      this.statsSoFar.failed++;
      this.statsSoFar.failuresByStatus[fate.status] =
        (this.statsSoFar.failuresByStatus[fate.status] ?? 0) + 1;
    }
    if (fate.poison) this.statsSoFar.poisoned++;
    else if (phoneless) this.statsSoFar.phonelessReceipts++;
    this.schedule({
      at: reportedAt,
      kind: fate.poison ? "poison" : "receipt",
      // A phone-less receipt is keyed by message id, as the deployed EventBridge rule keys it.
      partitionKey: phoneless ? messageId : partitionKey,
      // A garbled receipt: cut mid-JSON, as a broken transport would leave it.
      data: fate.poison ? receiptBytes.slice(0, Math.floor(receiptBytes.length / 2)) : receiptBytes,
    });
    if (!fate.reply) return;
    const receivedAt = new Date(reportedAt.getTime() + fate.reply.delayMs);
    const inboundMessageId = seededUuid(randomFor(seed, `inbound:${messageId}`));
    const data = format.reply({
      notificationId: seededUuid(randomFor(seed, `sns:${messageId}`)),
      from: request.to,
      to: request.from ?? this.options.originationNumber,
      body: fate.reply.body,
      keyword: format.keywordOf(fate.reply.kind),
      inboundMessageId,
      previousPublishedMessageId: messageId,
      receivedAt,
    });
    this.statsSoFar.replies++;
    this.statsSoFar.repliesByKind[fate.reply.kind]++;
    this.schedule({ at: receivedAt, kind: "reply", partitionKey, data });
    if (fate.reply.duplicated) {
      this.statsSoFar.duplicateDeliveries++;
      this.schedule({
        at: new Date(receivedAt.getTime() + 1_000),
        kind: "duplicate_reply",
        partitionKey,
        data,
      });
    }
  }
}
