import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
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
import { DynamoDbCampaignStore } from "./campaign-store";
import { type AwsClientOptions, clientConfigOf } from "./client-config";
import { DynamoDbConsentLog } from "./consent-log";
import { documentClientOf } from "./dynamodb-support";
import { DynamoDbJourneyStore } from "./journey-store";
import { DynamoDbOptOutReviewStore } from "./opt-out-reviews";
import { DynamoDbOptOutStore } from "./opt-out-store";
import { DynamoDbRevocationClockStore } from "./revocation-clocks";
import { ENV } from "./settings";
import { smsSenderFor } from "./sms-sender";
import { DynamoDbSubscriberDirectory } from "./subscriber-directory";

/**
 * The stack outputs a review decision needs (pipelineOutputs: `tables` by id, `region`, and
 * `replySender`: what the responses function's environment sends the STOP confirmation with).
 */
const ReviewOutputsSchema = z.object({
  region: outputName,
  tables: ReviewStoreNamesSchema,
  replySender: z.object({
    stopConfirmationText,
    /** "" when the stack configures no number or pool: the answer then goes from the number replied to. */
    originationIdentity: maybeEmpty,
    configurationSet: outputName,
  }),
});

export type AwsReviewOutputs = z.infer<typeof ReviewOutputsSchema>;

/** The review outputs of an AWS stack; a missing or invalid one throws one line naming it. */
export function parseAwsReviewOutputs(outputs: unknown): AwsReviewOutputs {
  return parseStackOutputs(ReviewOutputsSchema, outputs, "AWS");
}

export interface AwsReviewConnectOptions extends AwsClientOptions {
  clients?: { documents?: DynamoDBDocumentClient };
  /** Default: End User Messaging, built as the responses function builds it. */
  sender?: SmsSender;
}

/**
 * The stores and sender of a deployed AWS stack that `smsctl review --stack` decides with: the
 * review queue, opt-outs, consent log, revocation clocks, journeys (through the subscribers and
 * launched campaigns), and End User Messaging configured as the responses function's. Region from
 * the outputs; endpoints and credentials from `options` (tests aim them at the emulators).
 */
export function connectAwsReview(outputs: unknown, options: AwsReviewConnectOptions = {}): ReviewStack {
  const stack = parseAwsReviewOutputs(outputs);
  const { clients, sender, ...config } = options;
  const clientOptions = { region: stack.region, ...config };
  const documents =
    clients?.documents ?? documentClientOf(new DynamoDBClient(clientConfigOf(clientOptions, "dynamodb")));
  const { tables, replySender } = stack;
  const campaigns = new DynamoDbCampaignStore(documents, tables.campaigns);
  return {
    describe: () => `aws ${stack.region} table ${tables.optOutReviews}`,
    ports: {
      optOutReviews: new DynamoDbOptOutReviewStore(documents, tables.optOutReviews),
      optOuts: new DynamoDbOptOutStore(documents, tables.optOuts),
      ...(tables.consentLog ? { consentLog: new DynamoDbConsentLog(documents, tables.consentLog) } : {}),
      ...(tables.revocations
        ? { revocations: new DynamoDbRevocationClockStore(documents, tables.revocations) }
        : {}),
      sender:
        sender ??
        smsSenderFor({
          AWS_REGION: stack.region,
          [ENV.originationIdentity]: replySender.originationIdentity || undefined,
          [ENV.configurationSet]: replySender.configurationSet,
        }),
      journeyRouting: {
        journeys: new DynamoDbJourneyStore(documents, tables.journeys),
        subscribers: new DynamoDbSubscriberDirectory(documents, tables.subscribers),
        definitions: new JourneyCatalog(journeyDefinitions, campaigns),
        campaigns,
      },
    },
    // As responsesSettingsOf: the configured origination answers, else the sender's default.
    settings: {
      stopConfirmationText: replySender.stopConfirmationText,
      ...(replySender.originationIdentity ? { senderNumber: replySender.originationIdentity } : {}),
    },
  };
}
