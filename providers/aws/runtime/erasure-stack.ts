import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import * as z from "zod/mini";
import type { ErasureStack } from "../../../core/processing/erasure";
import {
  ErasedStoreNamesSchema,
  erasersInOrder,
  outputName,
  parseStackOutputs,
} from "../../../core/processing/erasure-outputs";
import { S3ArchiveStore } from "./archive-store";
import { type AwsClientOptions, clientConfigOf } from "./client-config";
import { DynamoDbConsentLog } from "./consent-log";
import { documentClientOf } from "./dynamodb-support";
import { DynamoDbErasureTombstones } from "./erasure-tombstones";
import { DynamoDbJourneyStore } from "./journey-store";
import { DynamoDbMessageLog } from "./message-log";
import { DynamoDbOptOutReviewStore } from "./opt-out-reviews";
import { DynamoDbOptOutStore } from "./opt-out-store";
import { DynamoDbPendingReceiptStore } from "./pending-receipts";
import { DynamoDbResponsesStore } from "./responses-store";
import { DynamoDbRevocationClockStore } from "./revocation-clocks";
import { DynamoDbSubscriberDirectory } from "./subscriber-directory";

/** The stack outputs an erasure needs (pipelineOutputs: `tables` by id, `archiveBucket`, `region`). */
const ErasureOutputsSchema = z.object({
  region: outputName,
  archiveBucket: outputName,
  tables: ErasedStoreNamesSchema,
});

export type AwsErasureOutputs = z.infer<typeof ErasureOutputsSchema>;

/** The erasure outputs of an AWS stack; a missing or invalid one throws one line naming it. */
export function parseAwsErasureOutputs(outputs: unknown): AwsErasureOutputs {
  return parseStackOutputs(ErasureOutputsSchema, outputs, "AWS");
}

export interface AwsErasureConnectOptions extends AwsClientOptions {
  clients?: { documents?: DynamoDBDocumentClient; s3?: S3Client };
}

/**
 * Every store of a deployed AWS stack that holds personal data, for `smsctl erase --stack`. Region
 * from the outputs; endpoints and credentials from `options` (tests aim them at the emulators).
 */
export function connectAwsErasure(outputs: unknown, options: AwsErasureConnectOptions = {}): ErasureStack {
  const stack = parseAwsErasureOutputs(outputs);
  const { clients, ...config } = options;
  const clientOptions = { region: stack.region, ...config };
  const documents =
    clients?.documents ?? documentClientOf(new DynamoDBClient(clientConfigOf(clientOptions, "dynamodb")));
  const s3 = clients?.s3 ?? new S3Client(clientConfigOf(clientOptions, "s3"));
  const { tables } = stack;
  const subscribers = new DynamoDbSubscriberDirectory(documents, tables.subscribers);
  const consentLog = tables.consentLog ? new DynamoDbConsentLog(documents, tables.consentLog) : undefined;
  return {
    describe: () => `aws ${stack.region} bucket ${stack.archiveBucket}`,
    deps: {
      subscribers,
      stores: erasersInOrder({
        responses: new DynamoDbResponsesStore(documents, tables.responses),
        messages: new DynamoDbMessageLog(documents, tables.messages),
        journeys: new DynamoDbJourneyStore(documents, tables.journeys),
        optOutReviews: new DynamoDbOptOutReviewStore(documents, tables.optOutReviews),
        pendingReceipts: new DynamoDbPendingReceiptStore(documents, tables.pendingReceipts),
        optOuts: new DynamoDbOptOutStore(documents, tables.optOuts),
        consentLog,
        revocations: tables.revocations
          ? new DynamoDbRevocationClockStore(documents, tables.revocations)
          : undefined,
        subscribers,
      }),
      ...(consentLog ? { consentLog } : {}),
      archive: new S3ArchiveStore(s3, stack.archiveBucket),
      tombstones: new DynamoDbErasureTombstones(documents, tables.optOuts),
    },
  };
}
