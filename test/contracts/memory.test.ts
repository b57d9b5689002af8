import {
  FakeClock,
  MemoryArchiveStore,
  MemoryCampaignStore,
  MemoryConsentLog,
  MemoryDeadLetter,
  MemoryErasureTombstones,
  MemoryEventPublisher,
  MemoryJourneyStore,
  MemoryMessageLog,
  MemoryMetricsSink,
  MemoryNotifier,
  MemoryOptOutReviewStore,
  MemoryOptOutStore,
  MemoryPendingReceiptStore,
  MemoryResponsesStore,
  MemoryRevocationClockStore,
  MemorySendLedger,
  MemorySmsSender,
  MemorySubscriberDirectory,
  SystemClock,
} from "../../providers/local/runtime/memory";
import { archiveStoreContract } from "./archive.contract";
import { campaignStoreContract } from "./campaigns.contract";
import { circuitBreakerContract } from "./circuit-breaker.contract";
import { clockContract } from "./clock.contract";
import { consentLogContract } from "./consent-log.contract";
import { deadLetterContract } from "./dead-letter.contract";
import { type ErasureKit, erasureContract } from "./erasure.contract";
import { journeyStoreContract } from "./journeys.contract";
import { sendLedgerContract } from "./ledger.contract";
import { messageLogContract } from "./messages.contract";
import { metricsSinkContract } from "./metrics.contract";
import { notifierContract } from "./notifier.contract";
import { optOutReviewStoreContract } from "./opt-out-reviews.contract";
import { optOutStoreContract } from "./opt-outs.contract";
import { pendingReceiptStoreContract } from "./pending-receipts.contract";
import { eventPublisherContract } from "./publisher.contract";
import { responsesStoreContract } from "./responses.contract";
import { revocationClockStoreContract } from "./revocation-clocks.contract";
import { smsSenderContract } from "./sender.contract";
import { subscriberDirectoryContract } from "./subscribers.contract";

clockContract("system clock", () => new SystemClock());
clockContract("fake clock", () => new FakeClock());
eventPublisherContract("memory", () => {
  const port = new MemoryEventPublisher();
  return { port, read: async () => port.records };
});
deadLetterContract("memory", () => {
  const port = new MemoryDeadLetter();
  return { port, read: async () => port.entries };
});
metricsSinkContract("memory", () => {
  const port = new MemoryMetricsSink();
  return { port, read: async () => port.datums };
});
responsesStoreContract("memory", () => new MemoryResponsesStore());
optOutStoreContract("memory", () => new MemoryOptOutStore());
archiveStoreContract("memory", () => new MemoryArchiveStore());
notifierContract("memory", () => {
  const port = new MemoryNotifier();
  return { port, read: async () => port.published };
});
smsSenderContract("memory", () => new MemorySmsSender());
subscriberDirectoryContract("memory", () => new MemorySubscriberDirectory());
sendLedgerContract("memory", () => new MemorySendLedger());
journeyStoreContract("memory", () => new MemoryJourneyStore());
messageLogContract("memory", () => new MemoryMessageLog());
pendingReceiptStoreContract("memory", () => new MemoryPendingReceiptStore());
campaignStoreContract("memory", () => new MemoryCampaignStore());
circuitBreakerContract("memory", () => new MemoryCampaignStore());
optOutReviewStoreContract("memory", () => new MemoryOptOutReviewStore());
revocationClockStoreContract("memory", () => new MemoryRevocationClockStore());
consentLogContract("memory", () => {
  const log = new MemoryConsentLog();
  return {
    log,
    // An altered copy: restore() keeps entries as given, as a tampered backing store would hand them back.
    tamper: async (phone, sequence, change) => {
      const altered = new MemoryConsentLog();
      for (const entry of await log.entriesFor(phone)) {
        altered.restore(entry.sequence === sequence ? { ...entry, ...change } : entry);
      }
      return altered;
    },
  };
});

erasureContract("memory", () => {
  const kit: ErasureKit = {
    responses: new MemoryResponsesStore(),
    messages: new MemoryMessageLog(),
    journeys: new MemoryJourneyStore(),
    subscribers: new MemorySubscriberDirectory(),
    optOuts: new MemoryOptOutStore(),
    optOutReviews: new MemoryOptOutReviewStore(),
    pendingReceipts: new MemoryPendingReceiptStore(),
    consentLog: new MemoryConsentLog(),
    revocations: new MemoryRevocationClockStore(),
    archive: new MemoryArchiveStore(),
    tombstones: new MemoryErasureTombstones(),
  };
  // The stores' private maps, as text: what a heap dump of the process would show.
  const stores = Object.entries(kit).filter(([name]) => name !== "archive");
  kit.dump = async () =>
    JSON.stringify(stores, (_, value) => (value instanceof Map ? [...value.entries()] : value));
  return kit;
});
