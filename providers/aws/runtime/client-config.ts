/**
 * SDK client configuration without importing any SDK, so each function bundle imports only the
 * clients it constructs (esbuild keeps every import of an external package it meets).
 */
import { outageRetryStrategy } from "./outage-retry";

/** Endpoint overrides for local runs; absent = the SDK's regional endpoint. */
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

/** Static credentials the local emulators accept (they check the format, never the secret). */
export const FAKE_CREDENTIALS = { accessKeyId: "AKIAEMULATOR000000000", secretAccessKey: "emulator-secret" };

/**
 * Store calls (DynamoDB, and S3, which answers 503 SlowDown under load) ride out an outage of about
 * half a minute (see outage-retry.ts). With the SDK's three attempts, one archive put in 125 failed
 * at a 20 % SlowDown rate, and the failed batch, bisected and retried, archived a row twice.
 */
export const STORE_RETRY = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 8_000 } as const;

/**
 * Constructor config for one service's client: region and credentials when given (the SDK's
 * defaults otherwise), its endpoint override, and path-style S3 when S3 is overridden (emulators
 * have no per-bucket DNS).
 */
export const clientConfigOf = (options: AwsClientOptions, service: keyof AwsEndpoints) => {
  const endpoint = options.endpoints?.[service];
  return {
    ...(options.region ? { region: options.region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(service === "s3" && endpoint ? { forcePathStyle: true } : {}),
    ...(service === "dynamodb" || service === "s3"
      ? { retryStrategy: outageRetryStrategy(STORE_RETRY) }
      : {}),
  };
};
