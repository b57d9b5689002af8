import type { Ports, Subscriber } from "../../../../core/ports";
import { MemoryArchiveStore } from "./archive";
import { MemoryCampaignStore } from "./campaigns";
import { FakeClock } from "./clock";
import { MemoryConsentLog } from "./consent-log";
import { MemoryDeadLetter } from "./dead-letter";
import { MemoryJourneyStore } from "./journeys";
import { MemorySendLedger } from "./ledger";
import { MemoryMessageLog } from "./messages";
import { MemoryMetricsSink } from "./metrics";
import { MemoryNotifier } from "./notifier";
import { MemoryOptOutReviewStore } from "./opt-out-reviews";
import { MemoryOptOutStore } from "./opt-outs";
import { MemoryEventPublisher } from "./publisher";
import { MemoryResponsesStore } from "./responses";
import { MemoryRevocationClockStore } from "./revocations";
import { MemorySmsSender } from "./sender";
import { MemorySubscriberDirectory } from "./subscribers";

export { MemoryArchiveStore } from "./archive";
export { MemoryCampaignStore } from "./campaigns";
export { FakeClock, SystemClock } from "./clock";
export { MemoryConsentLog } from "./consent-log";
export { MemoryDeadLetter } from "./dead-letter";
export { MemoryJourneyStore } from "./journeys";
export { MemorySendLedger } from "./ledger";
export { MemoryMessageLog } from "./messages";
export { MemoryMetricsSink } from "./metrics";
export { MemoryNotifier } from "./notifier";
export { MemoryOptOutReviewStore } from "./opt-out-reviews";
export { MemoryOptOutStore } from "./opt-outs";
export { MemoryPendingReceiptStore } from "./pending-receipts";
export { MemoryEventPublisher } from "./publisher";
export { MemoryResponsesStore } from "./responses";
export { MemoryRevocationClockStore } from "./revocations";
export { MemorySmsSender, type SendBehaviour } from "./sender";
export { MemorySubscriberDirectory } from "./subscribers";
export { MemoryErasureTombstones } from "./tombstones";

export interface MemoryPortsOptions {
  /** Start of the fake clock (default 2026-01-01T00:00:00.000Z). */
  now?: Date | string;
  subscribers?: Subscriber[];
}

/** Every port in memory, typed concretely so tests can inspect what was written. */
export interface MemoryPorts extends Ports {
  clock: FakeClock;
  publisher: MemoryEventPublisher;
  deadLetter: MemoryDeadLetter;
  metrics: MemoryMetricsSink;
  responses: MemoryResponsesStore;
  optOuts: MemoryOptOutStore;
  archive: MemoryArchiveStore;
  notifier: MemoryNotifier;
  sender: MemorySmsSender;
  subscribers: MemorySubscriberDirectory;
  ledger: MemorySendLedger;
  journeys: MemoryJourneyStore;
  messages: MemoryMessageLog;
  campaigns: MemoryCampaignStore;
  optOutReviews: MemoryOptOutReviewStore;
  consentLog: MemoryConsentLog;
  revocations: MemoryRevocationClockStore;
}

export function createMemoryPorts(opts: MemoryPortsOptions = {}): MemoryPorts {
  return {
    clock: new FakeClock(opts.now),
    publisher: new MemoryEventPublisher(),
    deadLetter: new MemoryDeadLetter(),
    metrics: new MemoryMetricsSink(),
    responses: new MemoryResponsesStore(),
    optOuts: new MemoryOptOutStore(),
    archive: new MemoryArchiveStore(),
    notifier: new MemoryNotifier(),
    sender: new MemorySmsSender(),
    subscribers: new MemorySubscriberDirectory(opts.subscribers),
    ledger: new MemorySendLedger(),
    journeys: new MemoryJourneyStore(),
    messages: new MemoryMessageLog(),
    campaigns: new MemoryCampaignStore(),
    optOutReviews: new MemoryOptOutReviewStore(),
    consentLog: new MemoryConsentLog(),
    revocations: new MemoryRevocationClockStore(),
  };
}
