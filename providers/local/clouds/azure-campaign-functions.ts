/**
 * The seam between the local run and the Azure stack's campaigns app: the real enrollment handler
 * on its Service Bus queue (the audience container's Event Grid BlobCreated event first, then one
 * hand-off message per chunk, which the handler itself sends through ServiceBusEnrollmentQueue)
 * and the real ticker handler on its timer. Only the triggers are simulated: the queue is the
 * in-process stand-in, and the run takes each message off it and delivers its body.
 */

import { randomUUID } from "node:crypto";
// A CommonJS bundle whose named exports Node's ESM loader cannot detect (see eventhubs/function-host.ts).
import azureFunctions from "@azure/functions";
import type { Journey } from "../../../core/campaign/journey";
import type { CampaignTickerPorts, TickerSettings } from "../../../core/campaign/ticker";
import type { DeadLetter } from "../../../core/ports";
import type { RevocationMonitor } from "../../../core/processing/revocation-sla";
import { BLOB_CREATED, createEnrollmentHandler } from "../../azure/handlers/enrollment";
import { createTickerHandler } from "../../azure/handlers/ticker";
import type { BlobAudienceStore } from "../../azure/runtime/audience-store";
import type { EnrollmentHandOff } from "../../azure/runtime/enrollment-queue";
import { ServiceBusEnrollmentQueue } from "../../azure/runtime/enrollment-queue";
import type { CampaignFunctions } from "../run/campaign-functions";
import type { InProcessQueue } from "../servicebus/in-process-queue";

const { InvocationContext } = azureFunctions;

export interface AzureCampaignFunctionsDeps {
  ports: CampaignTickerPorts & { deadLetter: DeadLetter };
  audience: Pick<BlobAudienceStore, "open">;
  /** The audience container's name, for the BlobCreated event's subject. */
  audienceContainer: string;
  /** The enrollment queue (ENROLLMENT_QUEUE): BlobCreated events and hand-offs. */
  queue: InProcessQueue;
  settings: TickerSettings;
  chunkRows: number;
  codeJourneys: Journey[];
  /** Judges the opt-outs whose SLA window has passed after every tick (run/revocation-run.ts). */
  revocationMonitor?: RevocationMonitor;
  /** Print what the functions log (the Functions library's console fallback); default quiet. */
  functionLogs?: boolean;
}

/** The Event Grid BlobCreated event the audience account's system topic puts on the queue. */
export const blobCreatedEvent = (container: string, key: string, at: Date) => ({
  id: randomUUID(),
  topic:
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sms-local/providers/Microsoft.Storage/storageAccounts/smslocal",
  subject: `/blobServices/default/containers/${container}/blobs/${key}`,
  eventType: BLOB_CREATED,
  eventTime: at.toISOString(),
  data: {
    api: "PutBlob",
    contentType: "text/csv; charset=utf-8",
    blobType: "BlockBlob",
    url: `https://smslocal.blob.core.windows.net/${container}/${key}`,
  },
  dataVersion: "",
  metadataVersion: "1",
});

export function azureCampaignFunctions(deps: AzureCampaignFunctionsDeps): CampaignFunctions {
  const contextOf = (functionName: string) =>
    deps.functionLogs ? new InvocationContext({ functionName }) : { log: () => {} };
  const enrollment = createEnrollmentHandler({
    ports: deps.ports,
    audience: deps.audience,
    queue: new ServiceBusEnrollmentQueue(deps.queue.sender),
    settings: { chunkRows: deps.chunkRows, ticker: deps.settings },
  });
  const ticker = createTickerHandler({
    ports: deps.ports,
    settings: deps.settings,
    definitions: deps.codeJourneys,
    ...(deps.revocationMonitor ? { revocationMonitor: deps.revocationMonitor } : {}),
  });
  /** The queue trigger: the next message's body, completed once the handler returns. */
  const deliverNext = async () => {
    const message = deps.queue.receive();
    if (!message) throw new Error("the enrollment queue is empty");
    await enrollment(message.body, contextOf("enrollment"));
  };
  const pendingHandOff = () => {
    const next = deps.queue.messages[0]?.body as EnrollmentHandOff | undefined;
    return next?.kind === "enrollment-chunk" ? next.fromLine : undefined;
  };
  return {
    async enroll(audienceKey, fromLine) {
      if (fromLine === undefined) {
        await deps.queue.sender.sendMessages({
          body: blobCreatedEvent(deps.audienceContainer, audienceKey, deps.ports.clock.now()),
          contentType: "application/json",
        });
      } else if (pendingHandOff() !== fromLine) {
        throw new Error(`no hand-off from line ${fromLine} on the enrollment queue`);
      }
      await deliverNext();
      const nextLine = pendingHandOff();
      return nextLine === undefined ? {} : { nextLine };
    },
    // The timer trigger's payload: on schedule, never past due here.
    tick: () => ticker({ isPastDue: false }, contextOf("ticker")),
  };
}
