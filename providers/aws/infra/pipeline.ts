import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AWS_REVOCATION_CLOCKS_OUTPUT, type AwsCampaignOutputName } from "../runtime/stack-outputs";
import { ARCHIVE_EVENTS_PREFIX } from "./archiveColumns";
import { AudienceBucket } from "./audienceBucket";
import { AudienceEnrollment } from "./audienceEnrollment";
import { enrollmentPermissions, tickerPermissions } from "./campaignPermissions";
import { type AwsStackConfig, rateSeconds } from "./config";
import { DataTables } from "./dataTables";
import { DeadLetterQueue } from "./deadLetterQueue";
import { EncryptionKey } from "./encryptionKey";
import { ENROLLMENT_ENV, FUNCTION_ENV, type FunctionEnvKey, RESPONSES_ENV, TICKER_ENV } from "./environment";
import { EventArchive } from "./eventArchive";
import { EventRouting } from "./eventRouting";
import { EventStream } from "./eventStream";
import { type HandlerName, STREAM_HANDLER_NAMES, type StreamHandlerName } from "./functionNames";
import { allow, awsContext, type Statement } from "./iam";
import { JourneyTicker, tickTimingOf } from "./journeyTicker";
import { Monitoring } from "./monitoring";
import { Notifications } from "./notifications";
import { SmsChannel } from "./smsChannel";
import { StreamFunction } from "./streamFunction";

export const PIPELINE_TYPE = "sms:aws:Pipeline";

/** The validated stack config (see ./config), plus the bundled code of each function. */
export interface PipelineArgs extends AwsStackConfig {
  /** Names stack-scoped resources that have no name in config (config set, dashboard, Glue, ...). */
  deploymentName: string;
  code: Record<HandlerName, pulumi.Input<pulumi.asset.Archive>>;
  /** The Powertools version the code was bundled against; the functions get that version's layer. */
  powertoolsVersion: string;
  /** First day the archive table's partition projection covers (yyyy-MM-dd). */
  archiveFirstDay: string;
}

/**
 * AWS publishes the ARN of each Powertools for AWS Lambda (TypeScript) release's public layer
 * under this SSM parameter, so the layer always matches the bundled code's version.
 */
export const powertoolsLayerParameter = (version: string) =>
  `/aws/service/powertools/typescript/generic/all/${version}`;

/** Item actions the runtime adapters use (transactions are authorised per item action). */
export const DYNAMODB_ITEM_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:Query",
  "dynamodb:BatchGetItem",
];

/** Lower-case letters, digits and underscores: what Glue database names accept. */
export const glueName = (name: string) => name.toLowerCase().replace(/[^a-z0-9_]/g, "_");

/**
 * The AWS reference deployment: End User Messaging SMS -> EventBridge / SNS -> Kinesis -> three
 * Lambda consumers (analytics, responses, archive) -> DynamoDB, S3 + Glue/Athena, SNS, CloudWatch.
 * Everything at rest is encrypted with one customer-managed key.
 */
export class Pipeline extends pulumi.ComponentResource {
  public readonly key: EncryptionKey;
  public readonly stream: EventStream;
  public readonly deadLetterQueue: DeadLetterQueue;
  public readonly tables: DataTables;
  public readonly archive: EventArchive;
  public readonly notifications: Notifications;
  public readonly channel: SmsChannel;
  public readonly routing: EventRouting;
  public readonly functions: Record<StreamHandlerName, StreamFunction>;
  public readonly audiences: AudienceBucket;
  public readonly ticker: JourneyTicker;
  public readonly enrollment: AudienceEnrollment;
  public readonly monitoring: Monitoring;
  /** What the responses function confirms a STOP with, for `smsctl review accept --stack` (the `replySender` output). */
  public readonly replySender: Record<
    "stopConfirmationText" | "originationIdentity" | "configurationSet",
    pulumi.Input<string>
  >;

  constructor(name: string, args: PipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super(PIPELINE_TYPE, name, {}, opts);
    const child = { parent: this };
    const { names } = args;
    const { accountId, region, partition } = awsContext(this);

    this.key = new EncryptionKey(`${name}-key`, {}, child);
    const kmsKeyArn = this.key.arn;

    this.stream = new EventStream(
      `${name}-events`,
      {
        streamName: names.stream,
        retentionHours: args.streamRetentionHours,
        kmsKeyArn,
        mode: args.streamMode,
        shardCount: args.shardCount,
      },
      child,
    );
    this.deadLetterQueue = new DeadLetterQueue(
      `${name}-dlq`,
      { queueName: names.deadLetterQueue, kmsKeyArn },
      child,
    );
    this.tables = new DataTables(
      `${name}-tables`,
      {
        responsesTableName: names.responsesTable,
        optOutsTableName: names.optOutsTable,
        sendLedgerTableName: names.sendLedgerTable,
        journeysTableName: names.journeysTable,
        messageLogTableName: names.messageLogTable,
        subscribersTableName: names.subscribersTable,
        campaignsTableName: names.campaignsTable,
        pendingReceiptsTableName: names.pendingReceiptsTable,
        optOutReviewsTableName: names.optOutReviewsTable,
        consentLogTableName: names.consentLogTable,
        revocationClocksTableName: names.revocationClocksTable,
        kmsKeyArn,
      },
      child,
    );
    this.archive = new EventArchive(
      `${name}-archive`,
      {
        bucketPrefix: names.archiveBucketPrefix,
        kmsKeyArn,
        expirationDays: args.archiveExpirationDays,
        noncurrentVersionDays: args.archiveNoncurrentVersionDays,
        glueDatabaseName: glueName(args.deploymentName),
        glueTableName: "sms_events",
        athenaWorkgroupName: args.deploymentName,
        firstPartitionDay: args.archiveFirstDay,
      },
      child,
    );
    this.notifications = new Notifications(
      `${name}-notifications`,
      {
        notificationTopicName: names.notificationTopic,
        alarmTopicName: names.alarmTopic,
        kmsKeyArn,
        email: args.notificationEmail,
      },
      child,
    );
    this.channel = new SmsChannel(
      `${name}-sms`,
      {
        configurationSetName: args.deploymentName,
        optOutListName: `${args.deploymentName}-opt-outs`,
        inboundTopicName: names.inboundTopic,
        kmsKeyArn,
        existingOriginationArn: args.phoneNumberArn ?? args.poolArn,
        requestPhoneNumber: args.requestPhoneNumber,
        legacyPinpoint: args.legacyPinpoint,
        streamArn: this.stream.arn,
      },
      child,
    );
    this.routing = new EventRouting(
      `${name}-routing`,
      {
        streamArn: this.stream.arn,
        kmsKeyArn,
        inboundTopicArn: this.channel.inboundTopic.arn,
        inboundQueueName: `${names.inboundTopic}-queue`,
        deadLetterQueueArn: this.deadLetterQueue.arn,
        deadLetterQueueUrl: this.deadLetterQueue.url,
      },
      child,
    );

    const tables = this.tables.tables;
    const environment: Record<FunctionEnvKey, pulumi.Input<string>> = {
      streamName: this.stream.streamName,
      responsesTable: tables.responses.name,
      optOutsTable: tables.optOuts.name,
      sendLedgerTable: tables.ledger.name,
      journeysTable: tables.journeys.name,
      messageLogTable: tables.messages.name,
      subscribersTable: tables.subscribers.name,
      campaignsTable: tables.campaigns.name,
      pendingReceiptsTable: tables.pendingReceipts.name,
      optOutReviewsTable: tables.optOutReviews.name,
      optOutThresholds: JSON.stringify(args.optOutThresholds),
      circuitBreaker: JSON.stringify(args.circuitBreaker),
      revocationClocksTable: tables.revocations.name,
      archiveBucket: this.archive.bucketName,
      // The bucket is the archive's own: core's keys already start with events/, so no extra prefix.
      archivePrefix: "",
      notificationTopicArn: this.notifications.notificationTopic.arn,
      deadLetterQueueUrl: this.deadLetterQueue.url,
      logLevel: args.logLevel,
      serviceName: "sms-campaigns",
      metricNamespace: names.metricNamespace,
      helpText: args.helpText,
      stopConfirmationText: args.stopConfirmationText,
      notificationPatterns: JSON.stringify(args.notificationPatterns),
      responseTtlDays: String(args.responseTtlDays),
      configurationSet: this.channel.configurationSet.name,
      originationIdentity: this.channel.originationArn.apply((arn) => arn ?? ""),
    };
    this.replySender = {
      stopConfirmationText: environment.stopConfirmationText,
      originationIdentity: environment.originationIdentity,
      configurationSet: environment.configurationSet,
    };
    const smsVoiceArn = (resource: string) =>
      pulumi.interpolate`arn:${partition}:sms-voice:${region}:${accountId}:${resource}`;
    // Analytics and archive complete phone-less receipts from the message log (reads only), and
    // park those it does not know yet in their own table.
    const readMessageLog = allow(["dynamodb:GetItem"], [tables.messages.arn]);
    const parkReceipts = allow(
      ["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:BatchGetItem"],
      this.tables.arnsWithIndexes(["pendingReceipts"]),
    );
    const sendText = allow(
      ["sms-voice:SendTextMessage"],
      [
        this.channel.configurationSet.arn,
        this.channel.optOutList.arn,
        // Without a configured number or pool, any of the account's own identities.
        ...((args.phoneNumberArn ?? args.poolArn ?? args.requestPhoneNumber)
          ? [this.channel.originationArn.apply((arn) => arn ?? "")]
          : [smsVoiceArn("phone-number/*"), smsVoiceArn("pool/*")]),
      ],
    );
    const permissions: Record<StreamHandlerName, Statement[]> = {
      analytics: [
        readMessageLog,
        parkReceipts,
        // The circuit breaker: window counters and the pause in the campaign's items, one notification per trip.
        allow(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], [tables.campaigns.arn]),
        allow(["sns:Publish"], [this.notifications.notificationTopic.arn]),
      ],
      responses: [
        allow(
          DYNAMODB_ITEM_ACTIONS,
          // The responses processor's ports: replies, opt-outs, the replies it holds for review, the
          // message log it links replies with, and the journeys a reply moves (found through the
          // subscriber of the replying number).
          this.tables.arnsWithIndexes([
            "responses",
            "optOuts",
            "optOutReviews",
            "messages",
            "journeys",
            "subscribers",
          ]),
        ),
        // Consent evidence is append-only: read the chain, add entries (conditional puts in a
        // transaction), never update or delete.
        allow(["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"], [tables.consentLog.arn]),
        // Every opt-out starts its revocation clock and records its confirmation (conditional writes).
        allow(["dynamodb:PutItem", "dynamodb:UpdateItem"], [tables.revocations.arn]),
        // Replies to a launched campaign: its record (the journey it runs) and its reply counters.
        allow(["dynamodb:GetItem", "dynamodb:UpdateItem"], [tables.campaigns.arn]),
        allow(["sns:Publish"], [this.notifications.notificationTopic.arn]),
        sendText,
      ],
      archive: [
        readMessageLog,
        parkReceipts,
        // Erasure tombstones (opt-outs table, erased#<hash>): an erased number's rows are dropped.
        allow(["dynamodb:GetItem"], [tables.optOuts.arn]),
        allow(["s3:PutObject"], [pulumi.interpolate`${this.archive.bucketArn}/${ARCHIVE_EVENTS_PREFIX}*`]),
      ],
    };
    const descriptions: Record<StreamHandlerName, string> = {
      analytics: "Per-campaign delivery, response and opt-out metrics (EMF)",
      responses:
        "Classifies replies, stores them, records opt-outs, answers HELP/STOP, moves journeys, notifies",
      archive: "Writes every event to S3 as date-partitioned Parquet",
    };
    const powertoolsLayerArn = aws.ssm.getParameterOutput(
      { name: powertoolsLayerParameter(args.powertoolsVersion) },
      { parent: this },
    ).value;
    const functionEnvironment = Object.fromEntries(
      Object.entries(environment).map(([key, value]) => [FUNCTION_ENV[key as FunctionEnvKey], value]),
    );
    // The phone hash's salt, a secret, reaches the functions that write a number: responses (it
    // hashes numbers in notifications), archive, ticker and enrollment, which all look erased
    // numbers up by their salted hash (smsctl erase's tombstones) and leave them out.
    const salted: Record<string, pulumi.Input<string>> = args.phoneHashSalt
      ? { [RESPONSES_ENV.phoneHashSalt]: pulumi.secret(args.phoneHashSalt) }
      : {};
    const responsesOnly: Record<string, pulumi.Input<string>> = {
      [RESPONSES_ENV.consentLogTable]: tables.consentLog.name,
      ...salted,
    };
    const fn = (id: StreamHandlerName) =>
      new StreamFunction(
        `${name}-${id}`,
        {
          code: args.code[id],
          layers: [powertoolsLayerArn],
          description: descriptions[id],
          logGroupName: `/aws/lambda/${args.deploymentName}-${id}`,
          architecture: args.lambdaArchitecture,
          memoryMb: args.lambdaMemoryMb,
          timeoutSeconds: args.lambdaTimeoutSeconds,
          xrayTracing: args.xrayTracing,
          logRetentionDays: args.logRetentionDays,
          logLevel: args.logLevel,
          environment:
            id === "responses"
              ? { ...functionEnvironment, ...responsesOnly }
              : id === "archive"
                ? { ...functionEnvironment, ...salted }
                : functionEnvironment,
          permissions: permissions[id],
          streamArn: this.stream.arn,
          kmsKeyArn,
          deadLetterQueueArn: this.deadLetterQueue.arn,
          batchSize: args.batchSize,
          batchWindowSeconds: args.batchWindowSeconds,
          maximumRetryAttempts: args.maximumRetryAttempts,
          maximumRecordAgeSeconds: args.maximumRecordAgeSeconds,
          startingPosition: args.startingPosition,
        },
        child,
      );
    this.functions = { analytics: fn("analytics"), responses: fn("responses"), archive: fn("archive") };

    const campaignFunction = (id: Exclude<HandlerName, StreamHandlerName>, description: string) => ({
      code: args.code[id],
      layers: [powertoolsLayerArn],
      description,
      logGroupName: `/aws/lambda/${args.deploymentName}-${id}`,
      architecture: args.lambdaArchitecture,
      memoryMb: args.lambdaMemoryMb,
      xrayTracing: args.xrayTracing,
      logRetentionDays: args.logRetentionDays,
      logLevel: args.logLevel,
      kmsKeyArn,
      deadLetterQueueArn: this.deadLetterQueue.arn,
    });
    const { journeys } = args;
    const intervalSeconds = rateSeconds(journeys.tickRate) ?? 60;
    this.ticker = new JourneyTicker(
      `${name}-ticker`,
      {
        function: {
          ...campaignFunction("ticker", "Journey ticker: sends due journey steps within the stack's MPS"),
          environment: {
            ...functionEnvironment,
            ...salted,
            [TICKER_ENV.tickMps]: String(journeys.mps),
            [TICKER_ENV.tickIntervalSeconds]: String(tickTimingOf(intervalSeconds).sendSeconds),
            [TICKER_ENV.sendWindowStartHour]: String(journeys.sendWindow.startHour),
            [TICKER_ENV.sendWindowEndHour]: String(journeys.sendWindow.endHour),
            [TICKER_ENV.revocationSlaMinutes]: String(args.revocationSlaMinutes),
            // The SLA monitor reads consent evidence: a number that opted back in is not a breach.
            [RESPONSES_ENV.consentLogTable]: tables.consentLog.name,
            ...(journeys.tickBudgetUsd === undefined
              ? {}
              : { [TICKER_ENV.tickBudgetUsd]: String(journeys.tickBudgetUsd) }),
          },
          permissions: tickerPermissions(tables, this.stream.arn, sendText),
        },
        rate: journeys.tickRate,
        intervalSeconds,
        scheduleName: `${args.deploymentName}-ticker`,
        deadLetterQueueName: `${args.deploymentName}-ticker-dlq`,
        kmsKeyArn,
      },
      child,
    );
    this.audiences = new AudienceBucket(
      `${name}-audiences`,
      { bucketPrefix: "sms-audiences", kmsKeyArn, retentionDays: journeys.audienceRetentionDays },
      child,
    );
    this.enrollment = new AudienceEnrollment(
      `${name}-enrollment`,
      {
        function: campaignFunction("enrollment", "Enrolls an uploaded campaign audience, chunk by chunk"),
        timeoutSeconds: args.lambdaTimeoutSeconds,
        environment: {
          ...functionEnvironment,
          ...salted,
          [ENROLLMENT_ENV.chunkRows]: String(journeys.enrollmentChunkRows),
        },
        permissions: enrollmentPermissions(tables),
        audienceBucketName: this.audiences.bucketName,
        audienceBucketArn: this.audiences.bucketArn,
        chunkQueueName: `${args.deploymentName}-enrollment-chunks`,
        chunkDeadLetterQueueName: `${args.deploymentName}-enrollment-dlq`,
        kmsKeyArn,
      },
      child,
    );

    this.monitoring = new Monitoring(
      `${name}-monitoring`,
      {
        dashboardName: args.deploymentName,
        metricNamespace: names.metricNamespace,
        streamName: this.stream.streamName,
        deadLetterQueueName: this.deadLetterQueue.queueName,
        functions: STREAM_HANDLER_NAMES.map((id) => ({ id, functionName: this.functions[id].functionName })),
        taskFunctions: [
          { id: "ticker", functionName: this.ticker.function.functionName },
          { id: "enrollment", functionName: this.enrollment.function.functionName },
        ],
        moreDeadLetterQueues: [
          { id: "ticker", queueName: this.ticker.deadLetterQueue.queueName },
          { id: "enrollment", queueName: this.enrollment.deadLetterQueue.queueName },
        ],
        tableNames: Object.values(tables).map((t) => t.name),
        alarmTopicArn: this.notifications.alarmTopic.arn,
        deliveryRateThresholdPercent: args.alarms.deliveryRatePercent,
        optOutRateThresholdPercent: args.alarms.optOutRatePercent,
        iteratorAgeThresholdMs: args.alarms.iteratorAgeMs,
      },
      child,
    );
    this.registerOutputs(pipelineOutputs(this));
  }
}

/**
 * The outputs `smsctl campaign --stack` reads (connectAwsStack parses the same names): typed by
 * AWS_CAMPAIGN_OUTPUTS, so a name added there must be exported here.
 */
export const campaignOutputs = (
  pipeline: Pipeline,
): Record<AwsCampaignOutputName, pulumi.Output<string>> => ({
  region: aws.getRegionOutput({}, { parent: pipeline }).region,
  campaignsTable: pipeline.tables.tables.campaigns.name,
  audienceBucket: pipeline.audiences.bucketName,
  audienceKeyArn: pipeline.key.arn,
  tickerFunction: pipeline.ticker.function.functionName,
  enrollmentFunction: pipeline.enrollment.function.functionName,
});

/** The stack outputs, one shape for the entry file and for registerOutputs. */
export const pipelineOutputs = (pipeline: Pipeline) => ({
  ...campaignOutputs(pipeline),
  [AWS_REVOCATION_CLOCKS_OUTPUT]: pipeline.tables.tables.revocations.name,
  streamName: pipeline.stream.streamName,
  streamArn: pipeline.stream.arn,
  tables: Object.fromEntries(Object.entries(pipeline.tables.tables).map(([id, table]) => [id, table.name])),
  archiveBucket: pipeline.archive.bucketName,
  notificationTopicArn: pipeline.notifications.notificationTopic.arn,
  alarmTopicArn: pipeline.notifications.alarmTopic.arn,
  inboundTopicArn: pipeline.channel.inboundTopic.arn,
  deadLetterQueueUrl: pipeline.deadLetterQueue.url,
  configurationSetName: pipeline.channel.configurationSet.name,
  replySender: pipeline.replySender,
  dashboardUrl: pipeline.monitoring.dashboardUrl,
  athenaDatabase: pipeline.archive.database.name,
  athenaTable: pipeline.archive.table.name,
  athenaWorkgroup: pipeline.archive.workgroup.name,
  functionNames: Object.fromEntries(
    Object.entries(pipeline.functions).map(([id, f]) => [id, f.functionName]),
  ),
});
