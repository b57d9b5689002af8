import * as communication from "@pulumi/azure-native/communication";
import * as eventgrid from "@pulumi/azure-native/eventgrid";
import * as pulumi from "@pulumi/pulumi";
import { assignRoles } from "./roles";

export const SMS_CHANNEL_TYPE = "sms:azure:SmsChannel";

export const SMS_EVENT_TYPES = {
  received: "Microsoft.Communication.SMSReceived",
  deliveryReport: "Microsoft.Communication.SMSDeliveryReportReceived",
} as const;

/** Where Event Grid puts events it could not deliver after its retries (never dropped). */
export interface EventGridDeadLetter {
  storageAccountId: pulumi.Input<string>;
  containerName: pulumi.Input<string>;
  containerId: pulumi.Input<string>;
}

export interface SmsChannelArgs {
  resourceGroupName: pulumi.Input<string>;
  communicationServiceName: pulumi.Input<string>;
  dataLocation: pulumi.Input<string>;
  /** The hub the SMS events go to. */
  eventHubId: pulumi.Input<string>;
  deadLetter: EventGridDeadLetter;
}

/**
 * Communication Services (SMS) and the route of its events into the stream: an Event Grid system
 * topic on the ACS resource, with its own identity allowed to send to the hub (Event Hubs Data
 * Sender on the hub only), and one subscription per event type, each delivering to the Event Hub
 * natively with a partition key that keeps one person's events in order: the sender of a reply
 * (`data.from`), the recipient of a delivery report (`data.to`). What Event Grid cannot deliver
 * within its retries (30 attempts, 24 h) goes to a dead-letter blob container, never dropped.
 */
export class SmsChannel extends pulumi.ComponentResource {
  public readonly service: communication.CommunicationService;
  public readonly systemTopic: eventgrid.SystemTopic;
  public readonly subscriptions: eventgrid.SystemTopicEventSubscription[];
  public readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: SmsChannelArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SMS_CHANNEL_TYPE, name, {}, opts);
    const child = { parent: this };
    this.service = new communication.CommunicationService(
      `${name}-acs`,
      {
        resourceGroupName: args.resourceGroupName,
        communicationServiceName: args.communicationServiceName,
        location: "global",
        dataLocation: args.dataLocation,
        disableLocalAuth: true,
      },
      child,
    );
    this.systemTopic = new eventgrid.SystemTopic(
      `${name}-events`,
      {
        resourceGroupName: args.resourceGroupName,
        location: "global",
        source: this.service.id,
        topicType: "Microsoft.Communication.CommunicationServices",
        identity: { type: "SystemAssigned" },
      },
      child,
    );
    const principalId = this.systemTopic.identity.apply((identity) => identity?.principalId ?? "");
    const roles = assignRoles(
      `${name}-events`,
      principalId,
      [
        { role: "eventHubsDataSender", scope: args.eventHubId },
        { role: "storageBlobDataContributor", scope: args.deadLetter.containerId },
      ],
      this,
    );
    const subscription = (id: string, eventType: string, partitionKeyField: string) =>
      new eventgrid.SystemTopicEventSubscription(
        `${name}-${id}`,
        {
          resourceGroupName: args.resourceGroupName,
          systemTopicName: this.systemTopic.name,
          eventSubscriptionName: id,
          eventDeliverySchema: "EventGridSchema",
          filter: { includedEventTypes: [eventType] },
          deliveryWithResourceIdentity: {
            identity: { type: "SystemAssigned" },
            destination: {
              endpointType: "EventHub",
              resourceId: args.eventHubId,
              deliveryAttributeMappings: [
                { name: "PartitionKey", type: "Dynamic", sourceField: partitionKeyField },
              ],
            },
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
    this.subscriptions = [
      subscription("sms-received", SMS_EVENT_TYPES.received, "data.from"),
      subscription("sms-delivery-reports", SMS_EVENT_TYPES.deliveryReport, "data.to"),
    ];
    this.endpoint = this.service.hostName.apply((host) => `https://${host}`);
    this.registerOutputs({ endpoint: this.endpoint });
  }
}
