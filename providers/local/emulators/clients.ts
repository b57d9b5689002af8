import type { KinesisClient } from "@aws-sdk/client-kinesis";
import {
  type AwsClients,
  type AwsEndpoints,
  createAwsClients,
  FAKE_CREDENTIALS,
} from "../../aws/runtime/clients";
import { createKinesisClient } from "../../aws/runtime/kinesis-client";

export type EmulatorClients = AwsClients & { kinesis: KinesisClient };

/** Clients pointed at local emulators: region us-east-1, static fake credentials, path-style S3. */
export const createEmulatorClients = (endpoints: AwsEndpoints): EmulatorClients => {
  const options = { region: "us-east-1", credentials: FAKE_CREDENTIALS, endpoints };
  return { ...createAwsClients(options), kinesis: createKinesisClient(options) };
};
