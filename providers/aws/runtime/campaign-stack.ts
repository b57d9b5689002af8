import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import * as z from "zod/mini";
import type { CampaignStack } from "../../../core/ports";
import { DynamoDbCampaignStore } from "./campaign-store";
import { type AwsClientOptions, clientConfigOf } from "./client-config";
import { documentClientOf } from "./dynamodb-support";
import { DynamoDbRevocationClockStore } from "./revocation-clocks";
import {
  AWS_CAMPAIGN_OUTPUTS,
  AWS_REVOCATION_CLOCKS_OUTPUT,
  type AwsCampaignOutputName,
} from "./stack-outputs";

export type AwsCampaignOutputs = Record<AwsCampaignOutputName, string>;

const OutputsSchema = z.object(
  Object.fromEntries(AWS_CAMPAIGN_OUTPUTS.map((name) => [name, z.string().check(z.minLength(1))])) as Record<
    AwsCampaignOutputName,
    z.ZodMiniString
  >,
);

/** The revocation clocks table the outputs name, or undefined for a stack deployed before it was exported. */
export function revocationClocksTableOf(outputs: unknown): string | undefined {
  const table = (outputs as Record<string, unknown>)[AWS_REVOCATION_CLOCKS_OUTPUT];
  return typeof table === "string" && table !== "" ? table : undefined;
}

/** The campaign outputs of an AWS stack; a missing or invalid key throws one line naming it. */
export function parseAwsCampaignOutputs(outputs: unknown): AwsCampaignOutputs {
  if (!outputs || typeof outputs !== "object" || Array.isArray(outputs)) {
    throw new Error("stack outputs: expected the JSON object `pulumi stack output --json` prints");
  }
  const result = OutputsSchema.safeParse(outputs);
  if (result.success) return result.data;
  const key = String(result.error.issues[0]?.path[0] ?? "?");
  const missing = (outputs as Record<string, unknown>)[key] === undefined;
  throw new Error(
    `stack outputs: "${key}" is ${missing ? "missing" : "not a non-empty string"} (is this an AWS stack of sms-campaigns?)`,
  );
}

export interface AwsStackConnectOptions extends AwsClientOptions {
  /** SDK clients to use instead of building them from the region and endpoints. */
  clients?: { documents?: DynamoDBDocumentClient; s3?: S3Client };
}

/**
 * The deployed AWS stack as `smsctl campaign` sees it: the campaigns table, and the audience bucket
 * whose uploads start the enrollment function; and its revocation clocks, when the outputs name them. Region from the outputs; endpoints and credentials
 * from `options` (tests aim them at the emulators), else the SDK's defaults.
 */
export function connectAwsStack(outputs: unknown, options: AwsStackConnectOptions = {}): CampaignStack {
  const stack = parseAwsCampaignOutputs(outputs);
  const { clients, ...config } = options;
  const clientOptions = { region: stack.region, ...config };
  const documents =
    clients?.documents ?? documentClientOf(new DynamoDBClient(clientConfigOf(clientOptions, "dynamodb")));
  const s3 = clients?.s3 ?? new S3Client(clientConfigOf(clientOptions, "s3"));
  const revocationClocksTable = revocationClocksTableOf(outputs);
  return {
    describe: () => `aws ${stack.region} bucket ${stack.audienceBucket}`,
    campaigns: new DynamoDbCampaignStore(documents, stack.campaignsTable),
    ...(revocationClocksTable
      ? { revocations: new DynamoDbRevocationClockStore(documents, revocationClocksTable) }
      : {}),
    uploadAudience: async (key, csv) => {
      await s3.send(
        new PutObjectCommand({
          Bucket: stack.audienceBucket,
          Key: key,
          Body: csv,
          ContentType: "text/csv",
          ServerSideEncryption: "aws:kms",
          SSEKMSKeyId: stack.audienceKeyArn,
        }),
      );
    },
  };
}
