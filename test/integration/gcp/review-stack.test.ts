/**
 * `smsctl review --outputs` on a deployed-style GCP stack: the review queue and every collection an
 * accept reaches on Google's Firestore emulator, under names only the outputs give (the shared
 * suite in test/support/review-stack.ts).
 */
import { describe, it } from "vitest";
import { FirestoreConsentLog } from "../../../providers/gcp/runtime/consent-log";
import { FirestoreJourneyStore } from "../../../providers/gcp/runtime/journey-store";
import { FirestoreOptOutReviewStore } from "../../../providers/gcp/runtime/opt-out-reviews";
import { FirestoreOptOutStore } from "../../../providers/gcp/runtime/opt-out-store";
import { connectGcpReview } from "../../../providers/gcp/runtime/review-stack";
import { FirestoreRevocationClockStore } from "../../../providers/gcp/runtime/revocation-clocks";
import { FirestoreSubscriberDirectory } from "../../../providers/gcp/runtime/subscriber-directory";
import { reviewStackSuite, STOP_TEXT } from "../../support/review-stack";
import { emulatorsUnavailable, PROJECT, uniqueName, useGcpEmulators } from "./emulators";

const fixture = useGcpEmulators();

if (emulatorsUnavailable) {
  describe("smsctl review --outputs: GCP (Firestore emulator)", () => {
    it.skip(`skipped: ${emulatorsUnavailable}`, () => {});
  });
} else {
  reviewStackSuite(
    "GCP (Firestore emulator)",
    async () => {
      const names = {
        optOutReviews: uniqueName("sms-opt-out-reviews"),
        optOuts: uniqueName("sms-opt-outs"),
        journeys: uniqueName("sms-journeys"),
        subscribers: uniqueName("sms-subscribers"),
        campaigns: uniqueName("sms-campaigns"),
        consentLog: uniqueName("sms-consent-log"),
        revocations: uniqueName("sms-revocation-clocks"),
      };
      const firestore = fixture.firestore();
      return {
        // As gcpPipelineOutputs prints them (the collections a review does not touch named too).
        outputs: {
          cloud: "gcp",
          project: PROJECT,
          region: "us-central1",
          firestoreDatabase: "(default)",
          campaignsCollection: names.campaigns,
          audienceBucket: "sms-audience",
          revocationClocksCollection: names.revocations,
          collections: { ...names, ledger: "ledger", responses: "responses", messages: "messages" },
          twilioAuthTokenSecret: "sms-twilio-auth-token",
          replySender: {
            stopConfirmationText: STOP_TEXT,
            twilioAccountSid: `AC${"a".repeat(32)}`,
            twilioMessagingServiceSid: `MG${"b".repeat(32)}`,
            twilioStatusCallbackUrl: "https://sms-webhook.example.run.app",
            twilioAuthTokenSecret: "sms-twilio-auth-token",
          },
        },
        // Firestore from the outputs (FIRESTORE_EMULATOR_HOST leads it to the emulator); the
        // auth token is stubbed, as no Secret Manager emulator exists, and the recording sender
        // stands in for Twilio.
        connect: (outputs, sender) =>
          connectGcpReview(outputs, { sender, authToken: async () => "test-token" }),
        stores: {
          optOutReviews: new FirestoreOptOutReviewStore(firestore, names.optOutReviews),
          optOuts: new FirestoreOptOutStore(firestore, names.optOuts),
          journeys: new FirestoreJourneyStore(firestore, names.journeys),
          subscribers: new FirestoreSubscriberDirectory(firestore, names.subscribers),
          consentLog: new FirestoreConsentLog(firestore, names.consentLog),
          revocations: new FirestoreRevocationClockStore(firestore, names.revocations),
        },
      };
    },
    { full: true },
  );
}
