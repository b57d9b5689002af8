import { describe, expect, it, vi } from "vitest";
import { processReplies, type ResponsesSettings } from "../../../core/processing/responses";
import { REVOCATION_SLA_METRIC } from "../../../core/processing/revocation-sla";
import { journeysById } from "../../../journeys";
import { createTickerHandler } from "../../../providers/aws/handlers/ticker";
import { createAwsPorts } from "../../../providers/aws/runtime/aws-ports";
import { DynamoDbRevocationClockStore } from "../../../providers/aws/runtime/revocation-clocks";
import { revocationMonitorOf } from "../../../providers/aws/runtime/revocation-monitor";
import { parseEnv, TickerEnvSchema } from "../../../providers/aws/runtime/settings";
import { javaAvailable } from "../../../providers/local/emulators";
import { ensureTables } from "../../../providers/local/emulators/provision";
import { FakeClock } from "../../../providers/local/runtime/memory";
import { revocationClockStoreContract } from "../../contracts/revocation-clocks.contract";
import { once, tickerEnvOn, uniqueName, useAwsEmulators } from "../../emulators/aws";
import { emfLinesOf, parseEmf } from "../../emulators/readers";
import { RecordingSender } from "../../support/recording-sender";
import { SLA_NOON, slaAt } from "../../support/revocation-breach";
import { stdoutDuring } from "../../support/stdout";

const hasJava = javaAvailable();
// Only DynamoDB is needed: the ticks below have no due journey, so nothing reaches the stream.
const fixture = useAwsEmulators({ kinesis: false, fauxqs: false, dynamodb: hasJava });
const clients = () => fixture.clients();

const env = once(async () => {
  const consentLog = uniqueName("consent-log");
  const revocations = uniqueName("revocation-clocks");
  const ticker = await tickerEnvOn(
    clients().dynamodb,
    { streamName: "unused", dlqUrl: "http://127.0.0.1:9/unused" },
    { consentLog, revocations },
  );
  return {
    ...ticker,
    CONSENT_LOG_TABLE: consentLog,
    REVOCATION_CLOCKS_TABLE: revocations,
    REVOCATION_SLA_MINUTES: "5",
    STOP_CONFIRMATION_TEXT: "You are unsubscribed.",
    POWERTOOLS_METRICS_NAMESPACE: "SmsCampaigns",
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_DYNAMODB: fixture.emulators().endpoints.dynamodb,
  };
});

const settings: ResponsesSettings = {
  helpText: "help",
  stopConfirmationText: "You are unsubscribed.",
  patterns: [],
};

/** Runs `run` with stdout captured (where Powertools writes EMF), returning the metrics it wrote. */
async function emfDuring<T>(
  run: () => Promise<T>,
): Promise<{ result: T; datums: ReturnType<typeof parseEmf> }> {
  const { result, stdout } = await stdoutDuring(run);
  return { result, datums: emfLinesOf(stdout).flatMap(parseEmf) };
}

/** The contract's own table: its clocks date from the 1990s, all due, and must not reach the monitor's run below. */
const contractTable = once(async () => {
  const name = uniqueName("revocation-clocks");
  await ensureTables(clients().dynamodb, { revocations: name });
  return name;
});

if (hasJava) {
  revocationClockStoreContract("DynamoDB (DynamoDB Local)", async () => {
    return new DynamoDbRevocationClockStore(clients().documents, await contractTable());
  });
}

describe.skipIf(!hasJava)("the revocation SLA monitor in the AWS ticker (DynamoDB Local)", () => {
  it("judges two STOPs after the window: one met, one breached by a send after it, counted in the alarm's EMF metric", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "local");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
    const rawEnv = await env();
    const clock = new FakeClock(new Date(SLA_NOON));
    const sender = new RecordingSender();
    const ports = createAwsPorts(rawEnv, { clients: clients(), sender, clock });
    const consumerPorts = {
      ...ports,
      journeyRouting: { journeys: ports.journeys, subscribers: ports.subscribers, definitions: journeysById },
    };
    const [ana, ben] = ["+12125550171", "+12125550172"];
    await ports.subscribers.upsert({ subscriberId: "sla-ana", phoneNumber: ana, attributes: {} });
    await ports.journeys.put(
      {
        journeyId: "welcome-series",
        subscriberId: "sla-ana",
        phoneNumber: ana,
        stepId: "answer",
        status: "waiting",
        wakeAt: "2026-06-17T12:00:00.000Z",
        version: 1,
        updatedAt: SLA_NOON,
      },
      0,
    );
    const stop = (phoneNumber: string, eventId: string) => ({
      eventId,
      schemaVersion: 1 as const,
      kind: "received" as const,
      occurredAt: slaAt(0),
      provider: "aws-eum" as const,
      phoneNumber,
      body: "STOP",
    });
    await processReplies([stop(ana, "sla-stop-ana"), stop(ben, "sla-stop-ben")], consumerPorts, settings);
    // The confirmations come back through the stream into the message log; Ben then gets a promo.
    for (const request of sender.requests) {
      await ports.messages.record({
        messageId: `msg-${request.idempotencyKey}`,
        phoneNumber: request.to,
        sentAt: slaAt(1),
      });
    }
    await ports.messages.record({
      messageId: "msg-promo",
      phoneNumber: ben,
      sentAt: slaAt(90),
      campaignId: "sale",
    });

    const monitor = revocationMonitorOf(parseEnv(TickerEnvSchema, rawEnv), ports);
    expect(monitor).toBeDefined();
    const tick = createTickerHandler({
      ports,
      settings: { mps: 50, intervalSeconds: 0.06 },
      definitions: [],
      ...(monitor ? { revocationMonitor: monitor } : {}),
    });

    clock.advance(4 * 60_000);
    const early = await emfDuring(tick);
    expect(early.result.revocations).toMatchObject({ judged: 0 });
    expect(early.datums.filter((d) => d.name === REVOCATION_SLA_METRIC)).toEqual([]);

    clock.advance(2 * 60_000);
    const due = await emfDuring(tick);
    expect(due.result.revocations).toEqual({
      judged: 2,
      met: 1,
      breached: 1,
      breaches: [{ eventId: "sla-stop-ben", failed: ["no_send_after"] }],
    });
    // The stack-wide series (no dimensions) under the stack's namespace: what the alarm reads.
    expect(due.datums.filter((d) => d.name === REVOCATION_SLA_METRIC)).toEqual([
      expect.objectContaining({ value: 1, dimensions: {} }),
    ]);
    const clocks = new DynamoDbRevocationClockStore(clients().documents, rawEnv.REVOCATION_CLOCKS_TABLE);
    const judged = (await clocks.list()).filter((c) => c.eventId.startsWith("sla-stop-"));
    expect(judged.map((c) => [c.eventId, c.verdict?.status, c.confirmationMessageId])).toEqual([
      ["sla-stop-ana", "met", "msg-sla-stop-ana:stop-confirmation"],
      ["sla-stop-ben", "breached", "msg-sla-stop-ben:stop-confirmation"],
    ]);

    clock.advance(60_000);
    expect((await tick()).revocations).toMatchObject({ judged: 0 });
    vi.unstubAllEnvs();
  }, 60_000);
});

if (!hasJava) {
  describe("the revocation SLA monitor in the AWS ticker", () => {
    it.skip("skipped: Java is not installed, and DynamoDB Local needs it", () => {});
  });
}
