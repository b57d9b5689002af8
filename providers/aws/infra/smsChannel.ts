import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allow, awsContext, createServiceRole, policyJson } from "./iam";

export const SMS_CHANNEL_TYPE = "sms:aws:SmsChannel";

export interface RequestedPhoneNumber {
  isoCountryCode: pulumi.Input<string>;
  numberType: pulumi.Input<string>;
  messageType: pulumi.Input<string>;
  registrationId?: pulumi.Input<string>;
}

export interface SmsChannelArgs {
  configurationSetName: pulumi.Input<string>;
  optOutListName: pulumi.Input<string>;
  inboundTopicName: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  /** Send from an existing number or pool (ARN); its two-way channel is set outside this stack. */
  existingOriginationArn?: pulumi.Input<string>;
  /** Or ask for a new number, two-way into the inbound topic. */
  requestPhoneNumber?: RequestedPhoneNumber;
  /** Pinpoint app + SMS channel + event stream, for accounts still sending through Pinpoint. */
  legacyPinpoint?: boolean;
  /** Needed only with legacyPinpoint: the Pinpoint event stream writes here. */
  streamArn: pulumi.Input<string>;
}

/**
 * The SMS channel on AWS End User Messaging SMS (pinpoint-sms-voice-v2): a configuration set,
 * an opt-out list, an SNS topic (KMS) that receives two-way inbound messages, and optionally
 * a new phone number wired to it. Delivery events need no destination here: End User
 * Messaging sends them to EventBridge's default bus on its own (source `aws.sms-voice`).
 */
export class SmsChannel extends pulumi.ComponentResource {
  public readonly configurationSet: aws.pinpoint.Smsvoicev2ConfigurationSet;
  public readonly optOutList: aws.pinpoint.Smsvoicev2OptOutList;
  public readonly inboundTopic: aws.sns.Topic;
  public readonly phoneNumber?: aws.pinpoint.Smsvoicev2PhoneNumber;
  public readonly pinpointApp?: aws.pinpoint.App;
  /** The identity the responses function sends auto-replies from (a number, a pool or none). */
  public readonly originationArn: pulumi.Output<string | undefined>;

  constructor(name: string, args: SmsChannelArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SMS_CHANNEL_TYPE, name, {}, opts);
    const { accountId } = awsContext(this);
    const child = { parent: this };

    this.configurationSet = new aws.pinpoint.Smsvoicev2ConfigurationSet(
      `${name}-configuration-set`,
      { name: args.configurationSetName, defaultMessageType: "TRANSACTIONAL" },
      child,
    );
    this.optOutList = new aws.pinpoint.Smsvoicev2OptOutList(
      `${name}-opt-out-list`,
      { name: args.optOutListName },
      child,
    );
    this.inboundTopic = new aws.sns.Topic(
      `${name}-inbound`,
      { name: args.inboundTopicName, kmsMasterKeyId: args.kmsKeyArn },
      child,
    );
    new aws.sns.TopicPolicy(
      `${name}-inbound-policy`,
      {
        arn: this.inboundTopic.arn,
        policy: policyJson([
          {
            Sid: "SmsVoicePublishesInbound",
            Effect: "Allow",
            Principal: { Service: "sms-voice.amazonaws.com" },
            Action: ["sns:Publish"],
            Resource: [this.inboundTopic.arn],
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
          },
        ]),
      },
      child,
    );

    if (args.requestPhoneNumber) {
      const request = args.requestPhoneNumber;
      this.phoneNumber = new aws.pinpoint.Smsvoicev2PhoneNumber(
        `${name}-phone-number`,
        {
          isoCountryCode: request.isoCountryCode,
          numberType: request.numberType,
          messageType: request.messageType,
          registrationId: request.registrationId,
          numberCapabilities: ["SMS"],
          optOutListName: this.optOutList.name,
          // Opt-outs are ours (core OptOutStore): STOP is recorded and confirmed by the responses function.
          selfManagedOptOutsEnabled: true,
          twoWayChannelEnabled: true,
          twoWayChannelArn: this.inboundTopic.arn,
          deletionProtectionEnabled: true,
        },
        child,
      );
    }
    this.originationArn = this.phoneNumber
      ? this.phoneNumber.arn
      : pulumi.output(args.existingOriginationArn);

    if (args.legacyPinpoint) {
      this.pinpointApp = new aws.pinpoint.App(
        `${name}-pinpoint-app`,
        { name: args.configurationSetName },
        child,
      );
      new aws.pinpoint.SmsChannel(
        `${name}-pinpoint-sms`,
        { applicationId: this.pinpointApp.applicationId, enabled: true },
        child,
      );
      const pinpointAccess = createServiceRole(
        `${name}-pinpoint-events`,
        "pinpoint.amazonaws.com",
        accountId,
        [
          allow(["kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DescribeStream"], [args.streamArn]),
          allow(["kms:GenerateDataKey"], [args.kmsKeyArn]),
        ],
        this,
      );
      new aws.pinpoint.EventStream(
        `${name}-pinpoint-event-stream`,
        {
          applicationId: this.pinpointApp.applicationId,
          destinationStreamArn: args.streamArn,
          roleArn: pinpointAccess.role.arn,
        },
        { parent: this, dependsOn: [pinpointAccess.policy] },
      );
    }

    this.registerOutputs({
      configurationSetName: this.configurationSet.name,
      inboundTopicArn: this.inboundTopic.arn,
      originationArn: this.originationArn,
    });
  }
}
