import { KinesisClient } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { type AwsClientOptions, clientConfigOf } from "./client-config";

/**
 * The Kinesis client, always on the HTTP/1.1 NodeHttpHandler: kinesis-local fails on the SDK's
 * default HTTP/2 handler, and PutRecords loses nothing by it. Kept apart so the function bundles
 * (which never write to the stream) do not carry the handler.
 */
export const createKinesisClient = (options: AwsClientOptions = {}): KinesisClient =>
  new KinesisClient({ ...clientConfigOf(options, "kinesis"), requestHandler: new NodeHttpHandler() });
