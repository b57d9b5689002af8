import * as eventgrid from "@pulumi/azure-native/eventgrid";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { CAMPAIGN_PREFIX } from "../../../core/campaign/campaign";
import { assignRoles } from "./roles";
import type { EventGridDeadLetter } from "./smsChannel";
import { hardenedAccountArgs } from "./storageAccount";

export const AUDIENCE_STORE_TYPE = "sms:azure:AudienceStore";
export const AUDIENCE_CONTAINER = "audience";
export const BLOB_CREATED_EVENT = "Microsoft.Storage.BlobCreated";

export interface AudienceStoreArgs {
  resourceGroupName: pulumi.Input<string>;
  location: pulumi.Input<string>;
  accountName: pulumi.Input<string>;
  /** The enrollment queue the BlobCreated events go to. */
  enrollmentQueueId: pulumi.Input<string>;
  deadLetter: EventGridDeadLetter;
}

/**
 * Where `smsctl campaign launch` uploads audiences: a storage account of its own (hardened like
 * the others: private, Entra ID only, double encryption) with one private container, and an Event
 * Grid system topic whose subscription puts every `campaigns/<id>/audience.csv` BlobCreated event
 * on the enrollment queue. Why a queue and not a Blob trigger: Flex Consumption runs only the
 * Event Grid-based blob trigger, whose webhook cannot reach an app with public network access
 * disabled; Service Bus delivery is pulled by the app, and carries the next-chunk hand-offs too.
 */
export class AudienceStore extends pulumi.ComponentResource {
  public readonly account: storage.StorageAccount;
  public readonly container: storage.BlobContainer;
  public readonly systemTopic: eventgrid.SystemTopic;
  public readonly subscription: eventgrid.SystemTopicEventSubscription;
  public readonly blobEndpoint: pulumi.Output<string>;

  constructor(name: string, args: AudienceStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super(AUDIENCE_STORE_TYPE, name, {}, opts);
    const child = { parent: this };
    this.account = new storage.StorageAccount(
      `${name}-account`,
      hardenedAccountArgs(args.resourceGroupName, args.accountName, args.location),
      child,
    );
    this.container = new storage.BlobContainer(
      `${name}-container`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: this.account.name,
        containerName: AUDIENCE_CONTAINER,
        publicAccess: "None",
      },
      child,
    );
    this.systemTopic = new eventgrid.SystemTopic(
      `${name}-events`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        source: this.account.id,
        topicType: "Microsoft.Storage.StorageAccounts",
        identity: { type: "SystemAssigned" },
      },
      child,
    );
    const principalId = this.systemTopic.identity.apply((identity) => identity?.principalId ?? "");
    const roles = assignRoles(
      `${name}-events`,
      principalId,
      [
        { role: "serviceBusDataSender", scope: args.enrollmentQueueId },
        { role: "storageBlobDataContributor", scope: args.deadLetter.containerId },
      ],
      this,
    );
    this.subscription = new eventgrid.SystemTopicEventSubscription(
      `${name}-uploads`,
      {
        resourceGroupName: args.resourceGroupName,
        systemTopicName: this.systemTopic.name,
        eventSubscriptionName: "audience-uploads",
        eventDeliverySchema: "EventGridSchema",
        filter: {
          includedEventTypes: [BLOB_CREATED_EVENT],
          subjectBeginsWith: `/blobServices/default/containers/${AUDIENCE_CONTAINER}/blobs/${CAMPAIGN_PREFIX}`,
          subjectEndsWith: "/audience.csv",
        },
        deliveryWithResourceIdentity: {
          identity: { type: "SystemAssigned" },
          destination: { endpointType: "ServiceBusQueue", resourceId: args.enrollmentQueueId },
        },
        retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 },
        deadLetterWithResourceIdentity: {
          identity: { type: "SystemAssigned" },
          deadLetterDestination: {
            endpointType: "StorageBlob",
            resourceId: args.deadLetter.storageAccountId,
            blobContainerName: args.deadLetter.containerName,
          },
        },
      },
      { parent: this, dependsOn: roles },
    );
    this.blobEndpoint = pulumi.interpolate`https://${this.account.name}.blob.core.windows.net/`;
    this.registerOutputs({ blobEndpoint: this.blobEndpoint });
  }
}
