import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allow, awsContext, createServiceRole, type Statement, XRAY_WRITE_ACTIONS } from "./iam";

export const TASK_FUNCTION_TYPE = "sms:aws:TaskFunction";

export interface TaskFunctionArgs {
  /** The bundled handler: an archive with `index.mjs` exporting `handler`. */
  code: pulumi.Input<pulumi.asset.Archive>;
  layers: pulumi.Input<string>[];
  description: pulumi.Input<string>;
  logGroupName: pulumi.Input<string>;
  architecture: pulumi.Input<"arm64" | "x86_64">;
  memoryMb: pulumi.Input<number>;
  timeoutSeconds: pulumi.Input<number>;
  /** Concurrent executions reserved (and allowed at most); absent = the account's unreserved pool. */
  reservedConcurrency?: pulumi.Input<number>;
  xrayTracing: boolean;
  logRetentionDays: pulumi.Input<number>;
  logLevel: pulumi.Input<string>;
  environment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** What this function may do beyond logging, its key and the stack's dead letter. */
  permissions: Statement[];
  kmsKeyArn: pulumi.Input<string>;
  /** The stack's dead-letter queue (core's DeadLetter port). */
  deadLetterQueueArn: pulumi.Input<string>;
}

/**
 * A Lambda function whose trigger is wired by its owner (a schedule, a bucket notification, a
 * queue): Node.js 22, X-Ray, its own KMS-encrypted log group and a least-privilege role.
 */
export class TaskFunction extends pulumi.ComponentResource {
  public readonly function: aws.lambda.Function;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly role: aws.iam.Role;
  /** The role's policy: anything that needs the role's permissions in place depends on it. */
  public readonly policy: aws.iam.RolePolicy;
  public readonly functionName: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;

  constructor(name: string, args: TaskFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TASK_FUNCTION_TYPE, name, {}, opts);
    const { accountId } = awsContext(this);

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: args.logGroupName, retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn },
      { parent: this },
    );
    const access = createServiceRole(
      name,
      "lambda.amazonaws.com",
      accountId,
      [
        allow(["logs:CreateLogStream", "logs:PutLogEvents"], [pulumi.interpolate`${this.logGroup.arn}:*`]),
        allow(["kms:Decrypt", "kms:GenerateDataKey"], [args.kmsKeyArn]),
        allow(["sqs:SendMessage"], [args.deadLetterQueueArn]),
        ...(args.xrayTracing
          ? [allow([...XRAY_WRITE_ACTIONS], ["*"], "XRayWriteHasNoResourceLevelPermissions")]
          : []),
        ...args.permissions,
      ],
      this,
    );
    this.role = access.role;
    this.policy = access.policy;

    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        description: args.description,
        runtime: "nodejs22.x",
        handler: "index.handler",
        code: args.code,
        layers: args.layers,
        architectures: [args.architecture],
        memorySize: args.memoryMb,
        timeout: args.timeoutSeconds,
        reservedConcurrentExecutions: args.reservedConcurrency,
        role: this.role.arn,
        kmsKeyArn: args.kmsKeyArn,
        tracingConfig: { mode: args.xrayTracing ? "Active" : "PassThrough" },
        loggingConfig: {
          logFormat: "JSON",
          logGroup: this.logGroup.name,
          applicationLogLevel: args.logLevel,
        },
        environment: {
          variables: pulumi
            .output(args.environment)
            .apply((variables) => ({ ...variables, NODE_OPTIONS: "--enable-source-maps" })),
        },
      },
      { parent: this, dependsOn: [access.policy, this.logGroup] },
    );
    this.functionName = this.function.name;
    this.arn = this.function.arn;
    this.registerOutputs({ functionName: this.functionName, functionArn: this.arn });
  }
}
