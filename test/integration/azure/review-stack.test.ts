/**
 * `smsctl review --outputs` on a deployed-style Azure stack: the review queue and every container
 * an accept reaches on cosmosdb-server (started here, stopped by process group), under names only
 * the outputs give (the shared suite in test/support/review-stack.ts).
 */
import { randomUUID } from "node:crypto";
import { insecureAgent } from "../../../providers/azure/emulators";
import { CosmosConsentLog } from "../../../providers/azure/runtime/consent-log";
import { type ContainerId, containerDefinitionOf } from "../../../providers/azure/runtime/containers";
import { CosmosJourneyStore } from "../../../providers/azure/runtime/journey-store";
import { CosmosOptOutReviewStore } from "../../../providers/azure/runtime/opt-out-reviews";
import { CosmosOptOutStore } from "../../../providers/azure/runtime/opt-out-store";
import { connectAzureReview } from "../../../providers/azure/runtime/review-stack";
import { CosmosRevocationClockStore } from "../../../providers/azure/runtime/revocation-clocks";
import { CosmosSubscriberDirectory } from "../../../providers/azure/runtime/subscriber-directory";
import { useAzureEmulators } from "../../emulators/azure";
import { reviewStackSuite, STOP_TEXT } from "../../support/review-stack";

const azure = useAzureEmulators("archive");
const REVIEWED: ContainerId[] = [
  "optOutReviews",
  "optOuts",
  "journeys",
  "subscribers",
  "campaigns",
  "consentLog",
  "revocations",
];

reviewStackSuite(
  "Azure (cosmosdb-server)",
  async () => {
    // Named as a deployment names them, so only the outputs lead the connector to them.
    const suffix = randomUUID().slice(0, 6);
    const names = Object.fromEntries(REVIEWED.map((id) => [id, `sms-${id}-${suffix}`])) as Record<
      ContainerId,
      string
    >;
    const database = azure.database();
    for (const id of REVIEWED)
      await database.containers.createIfNotExists(containerDefinitionOf(id, names[id]));
    const named = (id: ContainerId) => database.container(names[id]);
    return {
      // As azurePipelineOutputs prints them (the containers a review does not touch named too).
      outputs: {
        cloud: "azure",
        cosmosEndpoint: azure.cosmos().endpoint,
        cosmosDatabase: database.id,
        campaignsContainer: names.campaigns,
        audienceBlobEndpoint: azure.azurite().endpoint,
        audienceContainer: "audience",
        revocationClocksContainer: names.revocations,
        containers: { ...names, ledger: `sms-ledger-${suffix}`, responses: `sms-responses-${suffix}` },
        acsEndpoint: "https://sms-acs.communication.azure.com/",
        replySender: {
          stopConfirmationText: STOP_TEXT,
          acsEndpoint: "https://sms-acs.communication.azure.com/",
          senderNumber: "+18005550100",
        },
      },
      connect: (outputs, sender) =>
        connectAzureReview(outputs, { cosmosKey: "emulator", cosmosAgent: insecureAgent, sender }),
      stores: {
        optOutReviews: new CosmosOptOutReviewStore(named("optOutReviews")),
        optOuts: new CosmosOptOutStore(named("optOuts")),
        journeys: new CosmosJourneyStore(named("journeys")),
        subscribers: new CosmosSubscriberDirectory(named("subscribers")),
        consentLog: new CosmosConsentLog(named("consentLog")),
        revocations: new CosmosRevocationClockStore(named("revocations")),
      },
    };
  },
  { full: true },
);
