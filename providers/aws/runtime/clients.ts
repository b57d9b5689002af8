import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";

/** Endpoint overrides for local runs; absent = the SDK's regional endpoint (or AWS_ENDPOINT_URL_*). */
export interface AwsEndpoints {
  kinesis?: string;
  dynamodb?: string;
  s3?: string;
  sns?: string;
  sqs?: string;
}

export interface AwsClientOptions {
  region?: string;
  endpoints?: AwsEndpoints;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface AwsClients {
  kinesis: KinesisClient;
  dynamodb: DynamoDBClient;
  /** Marshals plain JS objects; undefined fields are dropped so optional record fields stay absent. */
  documents: DynamoDBDocumentClient;
  s3: S3Client;
  sns: SNSClient;
  sqs: SQSClient;
}

/** Static credentials the local emulators accept (they check the format, never the secret). */
export const FAKE_CREDENTIALS = { accessKeyId: "AKIAEMULATOR000000000", secretAccessKey: "emulator-secret" };

export const documentClientOf = (dynamodb: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });

/**
 * One client per service. Kinesis always gets the HTTP/1.1 NodeHttpHandler: kinesis-local fails
 * on the SDK's HTTP/2 path, and Lambda loses nothing by it. S3 uses path-style when an endpoint is
 * overridden (emulators have no per-bucket DNS).
 */
export const createAwsClients = (options: AwsClientOptions = {}): AwsClients => {
  const base = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const at = (endpoint: string | undefined) => (endpoint ? { endpoint } : {});
  const endpoints = options.endpoints ?? {};
  const dynamodb = new DynamoDBClient({ ...base, ...at(endpoints.dynamodb) });
  return {
    kinesis: new KinesisClient({ ...base, ...at(endpoints.kinesis), requestHandler: new NodeHttpHandler() }),
    dynamodb,
    documents: documentClientOf(dynamodb),
    s3: new S3Client({ ...base, ...at(endpoints.s3), forcePathStyle: endpoints.s3 !== undefined }),
    sns: new SNSClient({ ...base, ...at(endpoints.sns) }),
    sqs: new SQSClient({ ...base, ...at(endpoints.sqs) }),
  };
};

/** Clients pointed at local emulators: region us-east-1, static fake credentials, path-style S3. */
export const createEmulatorClients = (endpoints: AwsEndpoints): AwsClients =>
  createAwsClients({ region: "us-east-1", credentials: FAKE_CREDENTIALS, endpoints });
