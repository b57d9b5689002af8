import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type AwsClientOptions, clientConfigOf } from "./client-config";
import { documentClientOf } from "./dynamodb-support";

export { type AwsClientOptions, type AwsEndpoints, FAKE_CREDENTIALS } from "./client-config";

/** The clients the ports use, but Kinesis (./kinesis-client): no function writes to the stream. */
export interface AwsClients {
  dynamodb: DynamoDBClient;
  /** Marshals plain JS objects; undefined fields are dropped so optional record fields stay absent. */
  documents: DynamoDBDocumentClient;
  s3: S3Client;
  sns: SNSClient;
  sqs: SQSClient;
}

/** Every client at once (npm start, tests); the function handlers construct only their own. */
export const createAwsClients = (options: AwsClientOptions = {}): AwsClients => {
  const dynamodb = new DynamoDBClient(clientConfigOf(options, "dynamodb"));
  return {
    dynamodb,
    documents: documentClientOf(dynamodb),
    s3: new S3Client(clientConfigOf(options, "s3")),
    sns: new SNSClient(clientConfigOf(options, "sns")),
    sqs: new SQSClient(clientConfigOf(options, "sqs")),
  };
};
