import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Firestore } from "@google-cloud/firestore";
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
import { FirestoreCampaignStore } from "./campaign-store";
import { FirestoreConsentLog } from "./consent-log";
import { FirestoreJourneyStore } from "./journey-store";
import { FirestoreOptOutReviewStore } from "./opt-out-reviews";
import { FirestoreOptOutStore } from "./opt-out-store";
import { FirestoreRevocationClockStore } from "./revocation-clocks";
import { ENV } from "./settings";
import { smsSenderFor } from "./sms-sender";
import { FirestoreSubscriberDirectory } from "./subscriber-directory";

/**
 * The stack outputs a review decision needs (gcpPipelineOutputs: `collections` by id in the
 * stack's Firestore database, and `replySender`: the responses function's Twilio settings and the
 * secret holding its auth token).
 */
const ReviewOutputsSchema = z.object({
  project: outputName,
  firestoreDatabase: outputName,
  collections: ReviewStoreNamesSchema,
  replySender: z.object({
    stopConfirmationText,
    /** "" when the stack configures no Twilio account: the confirmation then fails, as the function's does. */
    twilioAccountSid: maybeEmpty,
    twilioMessagingServiceSid: maybeEmpty,
    twilioStatusCallbackUrl: maybeEmpty,
    twilioAuthTokenSecret: outputName,
  }),
});

export type GcpReviewOutputs = z.infer<typeof ReviewOutputsSchema>;

/** The review outputs of a GCP stack; a missing or invalid one throws one line naming it. */
export function parseGcpReviewOutputs(outputs: unknown): GcpReviewOutputs {
  return parseStackOutputs(ReviewOutputsSchema, outputs, "GCP");
}

/**
 * The Twilio auth token as the responses function gets it: TWILIO_AUTH_TOKEN when set (the
 * variable Cloud Functions fills from the secret), else the secret's latest version through gcloud
 * with the operator's credentials. Never printed.
 */
export async function twilioAuthTokenOf(secret: string, project: string): Promise<string> {
  const fromEnv = process.env[ENV.twilioAuthToken];
  if (fromEnv) return fromEnv;
  try {
    const { stdout } = await promisify(execFile)("gcloud", [
      "secrets",
      "versions",
      "access",
      "latest",
      `--secret=${secret}`,
      `--project=${project}`,
    ]);
    if (stdout.trim()) return stdout.trim();
  } catch {
    // Reported below, in one line (gcloud's own message could echo more than we want on stderr).
  }
  throw new Error(
    `cannot read the Twilio auth token from secret ${secret} in project ${project}: set ${ENV.twilioAuthToken}, or run gcloud auth login with secretmanager.versions.access on it`,
  );
}

export interface GcpReviewClients {
  firestore?: Firestore;
  /** Default: Twilio, built as the responses function builds it. */
  sender?: SmsSender;
  /** Default: twilioAuthTokenOf the stack's secret. */
  authToken?: () => Promise<string>;
}

/**
 * The collections and sender of a deployed GCP stack that `smsctl review --stack` decides with,
 * reached with application default credentials (tests inject a Firestore client for the
 * emulator), and Twilio configured as the responses function's. The auth token is read only when
 * an accept may send (readySender), never for list or reject.
 */
export function connectGcpReview(outputs: unknown, clients: GcpReviewClients = {}): ReviewStack {
  const stack = parseGcpReviewOutputs(outputs);
  const firestore =
    clients.firestore ?? new Firestore({ projectId: stack.project, databaseId: stack.firestoreDatabase });
  const { collections, replySender } = stack;
  const configured = replySender.twilioAccountSid !== "" && replySender.twilioMessagingServiceSid !== "";
  const authToken =
    clients.authToken ?? (() => twilioAuthTokenOf(replySender.twilioAuthTokenSecret, stack.project));
  let twilio: SmsSender | undefined = clients.sender;
  const readySender = async () => {
    twilio ??= smsSenderFor({
      [ENV.twilioAccountSid]: replySender.twilioAccountSid || undefined,
      // Unconfigured Twilio needs no token: the sender then fails each send, as the function's does.
      [ENV.twilioAuthToken]: configured ? await authToken() : undefined,
      [ENV.twilioMessagingServiceSid]: replySender.twilioMessagingServiceSid || undefined,
      [ENV.twilioStatusCallbackUrl]: replySender.twilioStatusCallbackUrl || undefined,
    });
  };
  const sender: SmsSender = {
    send: async (request) => {
      await readySender();
      return twilio!.send(request);
    },
  };
  const campaigns = new FirestoreCampaignStore(firestore, collections.campaigns);
  return {
    describe: () =>
      `gcp ${stack.project} database ${stack.firestoreDatabase} collection ${collections.optOutReviews}`,
    ports: {
      optOutReviews: new FirestoreOptOutReviewStore(firestore, collections.optOutReviews),
      optOuts: new FirestoreOptOutStore(firestore, collections.optOuts),
      ...(collections.consentLog
        ? { consentLog: new FirestoreConsentLog(firestore, collections.consentLog) }
        : {}),
      ...(collections.revocations
        ? { revocations: new FirestoreRevocationClockStore(firestore, collections.revocations) }
        : {}),
      sender,
      journeyRouting: {
        journeys: new FirestoreJourneyStore(firestore, collections.journeys),
        subscribers: new FirestoreSubscriberDirectory(firestore, collections.subscribers),
        definitions: new JourneyCatalog(journeyDefinitions, campaigns),
        campaigns,
      },
    },
    // As responsesSettingsOf: the messaging service picks the number.
    settings: { stopConfirmationText: replySender.stopConfirmationText },
    readySender,
    close: async () => {
      if (!clients.firestore) await firestore.terminate();
    },
  };
}
