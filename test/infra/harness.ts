/**
 * Pulumi mocks that record every resource the program registers (type, name, resolved inputs),
 * answer the AWS invokes the components use, and give each resource the outputs AWS would
 * (arn, name, id, url), so downstream inputs resolve to realistic strings.
 */
import * as pulumi from "@pulumi/pulumi";
import { HANDLER_NAMES, type HandlerName } from "../../providers/aws/infra/functionNames";

export const ACCOUNT_ID = "123456789012";
export const REGION = "us-east-1";

export interface RecordedResource {
  type: string;
  name: string;
  urn: string;
  // biome-ignore lint/suspicious/noExplicitAny: resolved Pulumi inputs are untyped JSON
  inputs: Record<string, any>;
  /** What the mock returned as the resource's state (inputs plus provider-computed outputs). */
  // biome-ignore lint/suspicious/noExplicitAny: resolved Pulumi outputs are untyped JSON
  outputs: Record<string, any>;
  /** Paths of the inputs Pulumi marked secret (recorded unwrapped in `inputs`), e.g. "environment". */
  secrets: string[];
}

/** The signature key Pulumi's mocks give a secret value: `{ [SIG]: SECRET_SIG, value }`. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

// biome-ignore lint/suspicious/noExplicitAny: resolved Pulumi inputs are untyped JSON
type Json = any;

/** Resolved inputs with every secret unwrapped, and where the secrets were. */
export function unwrapSecrets(
  value: Json,
  path = "",
  secrets: string[] = [],
): { value: Json; secrets: string[] } {
  if (Array.isArray(value)) {
    return { value: value.map((item, i) => unwrapSecrets(item, `${path}[${i}]`, secrets).value), secrets };
  }
  if (value === null || typeof value !== "object") return { value, secrets };
  // Assets, archives and other class instances pass through as they are.
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return { value, secrets };
  if (value[SIG_KEY] === SECRET_SIG) {
    secrets.push(path);
    return unwrapSecrets(value.value, path, secrets);
  }
  const copy = Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      unwrapSecrets(item, path ? `${path}.${key}` : key, secrets).value,
    ]),
  );
  return { value: copy, secrets };
}

const SERVICE_OF_MODULE: Record<string, string> = {
  kinesis: "kinesis",
  sqs: "sqs",
  sns: "sns",
  dynamodb: "dynamodb",
  kms: "kms",
  lambda: "lambda",
  iam: "iam",
  cloudwatch: "logs",
  pinpoint: "sms-voice",
  glue: "glue",
  athena: "athena",
  pipes: "pipes",
};

// biome-ignore lint/suspicious/noExplicitAny: mock state is untyped JSON
const outputsOf = (type: string, name: string, inputs: Record<string, any>): Record<string, any> => {
  const [, module = "", resource = ""] = type.split(":");
  const service = SERVICE_OF_MODULE[module.split("/")[0]] ?? module;
  const physical = inputs.name ?? inputs.functionName ?? `${name}-physical`;
  const arn = `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${resource.toLowerCase()}/${physical}`;
  switch (type) {
    case "aws:s3/bucket:Bucket": {
      const bucket = `${inputs.bucketPrefix ?? name}abc123`;
      return { ...inputs, bucket, arn: `arn:aws:s3:::${bucket}` };
    }
    case "aws:sqs/queue:Queue":
      return {
        ...inputs,
        arn: `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${physical}`,
        url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/${physical}`,
      };
    case "aws:sns/topic:Topic":
      return { ...inputs, arn: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:${physical}` };
    case "aws:kms/key:Key":
      return { ...inputs, keyId: "key-1234", arn: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/key-1234` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { ...inputs, arn: `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${physical}` };
    case "aws:cloudwatch/dashboard:Dashboard":
      return {
        ...inputs,
        dashboardArn: `arn:aws:cloudwatch::${ACCOUNT_ID}:dashboard/${inputs.dashboardName}`,
      };
    case "aws:cloudwatch/eventRule:EventRule":
      return { ...inputs, name: physical, arn: `arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/${physical}` };
    case "aws:pinpoint/app:App":
      return { ...inputs, applicationId: "pinpoint-app-id", arn };
    default:
      return { ...inputs, name: physical, arn };
  }
};

export interface Recorder {
  resources: RecordedResource[];
  mocks: pulumi.runtime.Mocks;
  ofType(type: string): RecordedResource[];
  one(type: string, nameSuffix?: string): RecordedResource;
}

export function recorder(): Recorder {
  const resources: RecordedResource[] = [];
  const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
      const urn = `urn:pulumi:test::sms-campaigns::${args.type}::${args.name}`;
      const { value: inputs, secrets } = unwrapSecrets(args.inputs);
      const outputs = outputsOf(args.type, args.name, inputs);
      resources.push({ type: args.type, name: args.name, urn, inputs, outputs, secrets });
      // Like AWS, a bucket's id is its name (other resources refer to the bucket by id).
      return { id: outputs.bucket ?? `${args.name}-id`, state: outputs };
    },
    call(args) {
      switch (args.token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
          return {
            accountId: ACCOUNT_ID,
            arn: `arn:aws:iam::${ACCOUNT_ID}:user/test`,
            userId: "test",
            id: ACCOUNT_ID,
          };
        case "aws:index/getRegion:getRegion":
          return { region: REGION, name: REGION, id: REGION };
        case "aws:ssm/getParameter:getParameter":
          // The value names the parameter asked for, so tests can see which one was read.
          return {
            name: args.inputs.name,
            type: "String",
            value: `value-of:${args.inputs.name}`,
            id: args.inputs.name,
          };
        case "aws:index/getPartition:getPartition":
          return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
        default:
          return args.inputs;
      }
    },
  };
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  return {
    resources,
    mocks,
    ofType,
    one(type, nameSuffix) {
      const found = ofType(type).filter((r) => nameSuffix === undefined || r.name.endsWith(nameSuffix));
      if (found.length !== 1) {
        throw new Error(
          `expected one ${type}${nameSuffix ? ` named *${nameSuffix}` : ""}, found ${found.length}`,
        );
      }
      return found[0];
    },
  };
}

/** Resolves every Output in a (nested) object of stack outputs. */
export function resolveOutputs<T>(value: T): Promise<unknown> {
  return new Promise((resolve) => pulumi.output(value).apply(resolve));
}

/** Waits until the program stops registering resources (registration finishes asynchronously). */
export async function settled(recorded: Recorder, quietMs = 100): Promise<void> {
  let count = -1;
  while (count !== recorded.resources.length) {
    count = recorded.resources.length;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

/** Parses a JSON policy document input (IAM, key, bucket, queue policies). */
// biome-ignore lint/suspicious/noExplicitAny: policy documents are untyped JSON
export const policyDocument = (value: unknown): { Statement: any[] } =>
  typeof value === "string" ? JSON.parse(value) : (value as { Statement: [] });

/** The same placeholder archive for every AWS function (HANDLER_NAMES), as deployStack's awsCode. */
export const awsPlaceholderCode = (archive: pulumi.asset.Archive) =>
  Object.fromEntries(HANDLER_NAMES.map((name) => [name, archive])) as Record<
    HandlerName,
    pulumi.asset.Archive
  >;
