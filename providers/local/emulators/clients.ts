import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { clientConfigOf } from "../../aws/runtime/client-config";
import {
  type AwsClients,
  type AwsEndpoints,
  createAwsClients,
  FAKE_CREDENTIALS,
} from "../../aws/runtime/clients";
import { documentClientOf } from "../../aws/runtime/dynamodb-support";
import { createKinesisClient } from "../../aws/runtime/kinesis-client";
import type { FaultInjector } from "../chaos/fault-injector";
import { throttlingHandler } from "../chaos/throttling-handler";

export type EmulatorClients = AwsClients & { kinesis: KinesisClient };

/**
 * Clients pointed at local emulators: region us-east-1, static fake credentials, path-style S3.
 * With `faults`, Kinesis, DynamoDB and S3 calls are throttled at its rate (see chaos/).
 */
export const createEmulatorClients = (endpoints: AwsEndpoints, faults?: FaultInjector): EmulatorClients => {
  const options = { region: "us-east-1", credentials: FAKE_CREDENTIALS, endpoints };
  if (!faults) return { ...createAwsClients(options), kinesis: createKinesisClient(options) };
  const throttled = (service: "kinesis" | "dynamodb" | "s3") =>
    throttlingHandler(new NodeHttpHandler(), service, faults);
  const dynamodb = new DynamoDBClient({
    ...clientConfigOf(options, "dynamodb"),
    requestHandler: throttled("dynamodb"),
  });
  return {
    dynamodb,
    documents: documentClientOf(dynamodb),
    s3: new S3Client({ ...clientConfigOf(options, "s3"), requestHandler: throttled("s3") }),
    sns: new SNSClient(clientConfigOf(options, "sns")),
    sqs: new SQSClient(clientConfigOf(options, "sqs")),
    kinesis: new KinesisClient({
      ...clientConfigOf(options, "kinesis"),
      requestHandler: throttled("kinesis"),
    }),
  };
};
