/**
 * The order every cloud's `smsctl erase --stack` empties its stores in (erasersInOrder), and why
 * it matters: a store failing part-way leaves the subscriber directory, so a rerun still finds the
 * subject. The stores are the in-memory ones (pure logic; each cloud's adapters are tested against
 * their emulators in test/integration/<cloud>/erasure.test.ts).
 */
import { describe, expect, it } from "vitest";
import type { ErasedItems, SubscriberEraser } from "../../../core/ports";
import { eraseSubscriber } from "../../../core/processing/erasure";
import {
  ERASURE_ORDER,
  ErasedStoreNamesSchema,
  erasersInOrder,
  type StackErasers,
} from "../../../core/processing/erasure-outputs";
import {
  createMemoryPorts,
  MemoryErasureTombstones,
  MemoryPendingReceiptStore,
} from "../../../providers/local/runtime/memory";

const SALT = "unit-test-salt-0123456789abcdef";
const ana = "+12125550101";

/** An eraser that only says which store it stands for. */
const named = (store: string): SubscriberEraser & { store: string } => ({
  store,
  erase: async (): Promise<ErasedItems> => ({ store, removed: 0, keys: [] }),
});

const everyStore = (): StackErasers => ({
  subscribers: named("subscribers"),
  revocations: named("revocations"),
  consentLog: named("consentLog"),
  optOuts: named("optOuts"),
  pendingReceipts: named("pendingReceipts"),
  optOutReviews: named("optOutReviews"),
  journeys: named("journeys"),
  messages: named("messages"),
  responses: named("responses"),
});

const storesOf = (erasers: SubscriberEraser[]) =>
  erasers.map((eraser) => ("store" in eraser ? eraser.store : "unnamed"));

/** Written out, not read from ERASURE_ORDER, so a change to the order fails these tests. */
const EXPECTED_ORDER = [
  "responses",
  "messages",
  "journeys",
  "optOutReviews",
  "pendingReceipts",
  "optOuts",
  "consentLog",
  "revocations",
  "subscribers",
];

describe("erasersInOrder", () => {
  it("puts a stack's erasers in the one order, the subscriber directory last", () => {
    expect(storesOf(erasersInOrder(everyStore()))).toEqual(EXPECTED_ORDER);
  });

  it("leaves out the optional stores a stack deployed before them does not have", () => {
    const erasers = { ...everyStore(), consentLog: undefined, revocations: undefined };
    expect(storesOf(erasersInOrder(erasers))).toEqual(
      EXPECTED_ORDER.filter((store) => store !== "consentLog" && store !== "revocations"),
    );
  });

  it("orders every store the stack outputs name, and nothing else", () => {
    expect([...ERASURE_ORDER].sort()).toEqual(Object.keys(ErasedStoreNamesSchema.shape).sort());
  });

  it("a store failing part-way fails the erasure before the directory, so a rerun still finds the subject", async () => {
    const ports = createMemoryPorts({ now: "2026-11-24T10:00:00.000Z" });
    await ports.subscribers.upsert({ subscriberId: "sub-ana", phoneNumber: ana, attributes: {} });
    await ports.optOuts.optOut(ana, "2026-11-24T09:00:00.000Z", "import:sub-ana");
    const tombstones = new MemoryErasureTombstones();
    const erasers = (optOuts: SubscriberEraser) =>
      erasersInOrder({
        responses: ports.responses,
        messages: ports.messages,
        journeys: ports.journeys,
        optOutReviews: ports.optOutReviews,
        pendingReceipts: new MemoryPendingReceiptStore(),
        optOuts,
        consentLog: ports.consentLog,
        revocations: ports.revocations,
        subscribers: ports.subscribers,
      });
    const failing: SubscriberEraser = {
      erase: async () => {
        throw new Error("opt-out store unavailable");
      },
    };

    await expect(
      eraseSubscriber(ana, { ...ports, stores: erasers(failing), tombstones }, SALT),
    ).rejects.toThrow("opt-out store unavailable");
    expect(await ports.subscribers.findByPhone(ana)).toMatchObject({ subscriberId: "sub-ana" });

    const { receipt } = await eraseSubscriber(
      ana,
      { ...ports, stores: erasers(ports.optOuts), tombstones },
      SALT,
    );
    expect(receipt.subscriberIds).toBe(1);
    expect(await ports.subscribers.findByPhone(ana)).toBeUndefined();
  });
});
