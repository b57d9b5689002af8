/**
 * `smsctl review --outputs` on a deployed-style GCP stack: the review queue and every collection an
 * accept reaches on Google's Firestore emulator, under names only the outputs give (the shared
 * suite in test/support/review-stack.ts); and an accept whose Twilio token cannot be read.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decide } from "../../../cli/commands/review";
import { FirestoreConsentLog } from "../../../providers/gcp/runtime/consent-log";
import { FirestoreJourneyStore } from "../../../providers/gcp/runtime/journey-store";
import { FirestoreOptOutReviewStore } from "../../../providers/gcp/runtime/opt-out-reviews";
import { FirestoreOptOutStore } from "../../../providers/gcp/runtime/opt-out-store";
import { connectGcpReview } from "../../../providers/gcp/runtime/review-stack";
import { FirestoreRevocationClockStore } from "../../../providers/gcp/runtime/revocation-clocks";
import { FirestoreSubscriberDirectory } from "../../../providers/gcp/runtime/subscriber-directory";
import { reviewStackSuite, reviewStoreNames, STOP_TEXT } from "../../support/review-stack";
import { emulatorsUnavailable, PROJECT, uniqueName, useGcpEmulators } from "./emulators";

const fixture = useGcpEmulators();

const namesOfStores = () => reviewStoreNames(uniqueName);
type Names = ReturnType<typeof namesOfStores>;

/** As gcpPipelineOutputs prints them (the collections a review does not touch named too). */
const outputsOf = (names: Names) => ({
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
});

const storesOf = (names: Names) => {
  const firestore = fixture.firestore();
  return {
    optOutReviews: new FirestoreOptOutReviewStore(firestore, names.optOutReviews),
    optOuts: new FirestoreOptOutStore(firestore, names.optOuts),
    journeys: new FirestoreJourneyStore(firestore, names.journeys),
    subscribers: new FirestoreSubscriberDirectory(firestore, names.subscribers),
    consentLog: new FirestoreConsentLog(firestore, names.consentLog),
    revocations: new FirestoreRevocationClockStore(firestore, names.revocations),
  };
};

if (emulatorsUnavailable) {
  describe("smsctl review --outputs: GCP (Firestore emulator)", () => {
    it.skip(`skipped: ${emulatorsUnavailable}`, () => {});
  });
} else {
  reviewStackSuite(
    "GCP (Firestore emulator)",
    async () => {
      const names = namesOfStores();
      return {
        outputs: outputsOf(names),
        // Firestore from the outputs (FIRESTORE_EMULATOR_HOST leads it to the emulator); the auth
        // token is stubbed (Secret Manager has no emulator) and the recording sender stands in for Twilio.
        connect: (outputs, sender) =>
          connectGcpReview(outputs, { sender, authToken: async () => "test-token" }),
        stores: storesOf(names),
      };
    },
    { full: true },
  );

  describe("smsctl review accept --outputs: GCP without the Twilio token", () => {
    const dir = mkdtempSync(join(tmpdir(), "smsctl-review-gcp-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("fails before writing anything: the number is not opted out and stays held", async () => {
      const names = namesOfStores();
      const stores = storesOf(names);
      const phone = "+12125550199";
      await stores.optOutReviews.put({
        eventId: "evt-no-token",
        phoneNumber: phone,
        text: "leave me alone",
        receivedAt: "2026-06-16T18:05:00.000Z",
        optOutConfidence: 0.7,
        rule: "phrase.en.leave-alone",
      });
      const file = join(dir, "outputs.json");
      writeFileSync(file, JSON.stringify(outputsOf(names)));
      const unreadable = async (): Promise<string> => {
        throw new Error("cannot read the Twilio auth token from secret sms-twilio-auth-token");
      };
      await expect(
        decide("evt-no-token", "accept", { outputs: file }, (outputs) =>
          connectGcpReview(outputs, { authToken: unreadable }),
        ),
      ).rejects.toThrow("cannot read the Twilio auth token");
      expect(await stores.optOuts.isOptedOut(phone)).toBe(false);
      expect(await stores.optOutReviews.isHeld(phone)).toBe(true);
      expect(await stores.consentLog.entriesFor(phone)).toEqual([]);
      expect(await stores.revocations.list()).toEqual([]);
    }, 60_000);
  });
}
