import * as z from "zod/mini";
import { JourneyCatalog } from "../../../core/campaign/journey-catalog";
import type { SmsSender } from "../../../core/ports";
import { outputName, parseStackOutputs } from "../../../core/processing/erasure-outputs";
import {
  maybeEmpty,
  type ReviewStack,
  ReviewStoreNamesSchema,
  stopConfirmationText,
} from "../../../core/processing/review-outputs";
import { journeyDefinitions } from "../../../journeys";
import { CosmosCampaignStore } from "./campaign-store";
import { CosmosConsentLog } from "./consent-log";
import { CosmosJourneyStore } from "./journey-store";
import { CosmosOptOutReviewStore } from "./opt-out-reviews";
import { CosmosOptOutStore } from "./opt-out-store";
import { CosmosRevocationClockStore } from "./revocation-clocks";
import { smsSenderFor } from "./sms-sender";
import { type AzureStackConnection, azureStackClientsOf } from "./stack-clients";
import { CosmosSubscriberDirectory } from "./subscriber-directory";

/**
 * The stack outputs a review decision needs (azurePipelineOutputs: `containers` by id, the Cosmos
 * endpoint and database, and `replySender`: what the responses app's settings send the STOP
 * confirmation with).
 */
const ReviewOutputsSchema = z.object({
  cosmosEndpoint: z.url(),
  cosmosDatabase: outputName,
  containers: ReviewStoreNamesSchema,
  replySender: z.object({
    stopConfirmationText,
    acsEndpoint: z.url(),
    /** "" while the stack has no ACS number: the confirmation then fails, as the responses app's does. */
    senderNumber: maybeEmpty,
  }),
});

export type AzureReviewOutputs = z.infer<typeof ReviewOutputsSchema>;

/** The review outputs of an Azure stack; a missing or invalid one throws one line naming it. */
export function parseAzureReviewOutputs(outputs: unknown): AzureReviewOutputs {
  return parseStackOutputs(ReviewOutputsSchema, outputs, "Azure");
}

export interface AzureReviewConnection extends AzureStackConnection {
  /** Default: Communication Services, built as the responses app builds it. */
  sender?: SmsSender;
}

/**
 * The containers and sender of a deployed Azure stack that `smsctl review --stack` decides with,
 * reached with DefaultAzureCredential (or the emulator's key in `connection`), and Communication
 * Services from the stack's number, as the responses app sends.
 */
export function connectAzureReview(outputs: unknown, connection: AzureReviewConnection = {}): ReviewStack {
  const stack = parseAzureReviewOutputs(outputs);
  const { sender, ...rest } = connection;
  const clients = azureStackClientsOf(rest);
  const cosmos = clients.cosmos(stack.cosmosEndpoint);
  const database = cosmos.database(stack.cosmosDatabase);
  const container = (id: string) => database.container(id);
  const { containers, replySender } = stack;
  const campaigns = new CosmosCampaignStore(container(containers.campaigns));
  return {
    describe: () =>
      `azure cosmos ${new URL(stack.cosmosEndpoint).host} database ${stack.cosmosDatabase} container ${containers.optOutReviews}`,
    ports: {
      optOutReviews: new CosmosOptOutReviewStore(container(containers.optOutReviews)),
      optOuts: new CosmosOptOutStore(container(containers.optOuts)),
      ...(containers.consentLog
        ? { consentLog: new CosmosConsentLog(container(containers.consentLog)) }
        : {}),
      ...(containers.revocations
        ? { revocations: new CosmosRevocationClockStore(container(containers.revocations)) }
        : {}),
      sender:
        sender ??
        smsSenderFor(replySender.acsEndpoint, replySender.senderNumber || undefined, clients.credential),
      journeyRouting: {
        journeys: new CosmosJourneyStore(container(containers.journeys)),
        subscribers: new CosmosSubscriberDirectory(container(containers.subscribers)),
        definitions: new JourneyCatalog(journeyDefinitions, campaigns),
        campaigns,
      },
    },
    // As the responses app's settings: its number answers, else the sender's.
    settings: {
      stopConfirmationText: replySender.stopConfirmationText,
      ...(replySender.senderNumber ? { senderNumber: replySender.senderNumber } : {}),
    },
    close: async () => cosmos.dispose(),
  };
}
