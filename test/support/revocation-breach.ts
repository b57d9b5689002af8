/**
 * A revocation SLA breach injected through the real consumer and monitor on the in-memory ports:
 * Ana replies STOP, her confirmation goes, then a marketing message to her lands in the message
 * log after the opt-out. Once the window has passed the monitor runs, and the datum it emits is
 * what every stack's alarm must watch. No datum (the monitor or the clock removed) fails the tests
 * that use it, as does an alarm that watches another name or dimensions.
 */
import type { MessageLog, MetricDatum, OptOutStore, RevocationClockStore } from "../../core/ports";
import { processReplies } from "../../core/processing/responses";
import {
  DEFAULT_REVOCATION_SLA_MINUTES,
  monitorRevocations,
  REVOCATION_SLA_METRIC,
} from "../../core/processing/revocation-sla";
import { createMemoryPorts } from "../../providers/local/runtime/memory";

const STOP_AT = "2026-11-24T10:00:30.000Z";

export async function injectRevocationBreach(): Promise<{ datum: MetricDatum; failed: string[] }> {
  const ports = createMemoryPorts({ now: "2026-11-24T10:00:00.000Z" });
  const phoneNumber = "+14255550123";
  await processReplies(
    [
      {
        eventId: "evt-stop",
        schemaVersion: 1,
        kind: "received",
        occurredAt: STOP_AT,
        provider: "local",
        phoneNumber,
        body: "STOP",
      },
    ],
    ports,
    { helpText: "Reply STOP to opt out.", stopConfirmationText: "You are unsubscribed.", patterns: [] },
  );
  await ports.messages.record({
    messageId: "msg-promo-after-stop",
    phoneNumber,
    sentAt: "2026-11-24T10:02:00.000Z",
    campaignId: "black-friday",
  });
  ports.clock.advance((DEFAULT_REVOCATION_SLA_MINUTES + 1) * 60_000);
  const report = await monitorRevocations(ports, { windowMinutes: DEFAULT_REVOCATION_SLA_MINUTES });
  const datum = ports.metrics.datums.find((d) => d.name === REVOCATION_SLA_METRIC && d.value > 0);
  if (!datum)
    throw new Error("the revocation SLA monitor emitted no breach for an injected send after a STOP");
  return { datum, failed: report.breaches.flatMap((breach) => breach.failed) };
}

/** The instant the stacks' monitor tests stop at, and a time `seconds` after it. */
export const SLA_NOON = "2026-06-16T12:00:00.000Z";
export const slaAt = (seconds: number): string =>
  new Date(Date.parse(SLA_NOON) + seconds * 1000).toISOString();

/**
 * Two STOPs at noon in a stack's own stores, each suppressed and confirmed a second later (clock
 * `sla-stop-ana` / `sla-stop-ben`); then the second number gets a promo 90 s in, the breach.
 */
export async function seedTwoStopsThenPromo(
  stores: {
    clocks: Pick<RevocationClockStore, "start" | "confirm">;
    optOuts: Pick<OptOutStore, "optOut">;
    messages: Pick<MessageLog, "record">;
  },
  [ana, ben]: readonly [string, string],
): Promise<void> {
  for (const [who, phoneNumber] of [
    ["ana", ana],
    ["ben", ben],
  ] as const) {
    const eventId = `sla-stop-${who}`;
    await stores.clocks.start({
      eventId,
      phoneNumber,
      optedOutAt: SLA_NOON,
      source: "reply_keyword",
      confirmationExpected: true,
    });
    await stores.optOuts.optOut(phoneNumber, SLA_NOON, eventId);
    await stores.messages.record({ messageId: `msg-confirm-${who}`, phoneNumber, sentAt: slaAt(1) });
    await stores.clocks.confirm(eventId, slaAt(1), `msg-confirm-${who}`);
  }
  await stores.messages.record({
    messageId: "msg-promo",
    phoneNumber: ben,
    sentAt: slaAt(90),
    campaignId: "sale",
  });
}
