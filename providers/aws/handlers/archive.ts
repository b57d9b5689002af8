import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";

import type { Ports } from "../../../core/ports";
import { archiveEvents, batchIdOf } from "../../../core/processing/archive";
import { S3ArchiveStore } from "../runtime/archive-store";
import { clientConfigOf } from "../runtime/client-config";
import { commonPortsOf } from "../runtime/common-ports";
import { documentClientOf } from "../runtime/dynamodb-support";
import { DynamoDbMessageLog } from "../runtime/message-log";
import { DynamoDbPendingReceiptStore } from "../runtime/pending-receipts";
import { ArchiveEnvSchema, clientOptionsOf, ENV, parseEnv } from "../runtime/settings";
import { createConsumerHandler } from "./consumer-handler";
import { type KinesisHandler, lazyHandler } from "./lazy";
import { type Observability, observabilityFromEnv, traced } from "./observability";

export interface ArchiveHandlerDeps {
  ports: Pick<Ports, "archive" | "messages" | "deadLetter" | "clock"> &
    Partial<Pick<Ports, "pendingReceipts">>;
  observability?: Observability;
}

/**
 * Every decodable event of the batch as Parquet, one object per UTC date, under a key derived
 * from the batch's sequence numbers (a retried batch overwrites its own objects). One write
 * covers the batch, so if it fails every decodable record fails. Receipts the message log does
 * not know yet are parked (with a PendingReceiptStore) and written by a later batch.
 */
export const createArchiveHandler = (deps: ArchiveHandlerDeps): KinesisHandler =>
  createConsumerHandler(
    "archive",
    (logger) => ({
      skipReplayed: true,
      wholeBatch: async (events, recordIds) => {
        const objects = await archiveEvents(events, deps.ports, batchIdOf(recordIds));
        logger.info("archived", { keys: objects.map((o) => o.key), rows: events.length });
      },
    }),
    { ...deps.ports, observability: deps.observability },
  );

/** Lambda entry point: ports and settings from the environment, built at first invocation. */
export const handler: KinesisHandler = lazyHandler(() => {
  const env = parseEnv(ArchiveEnvSchema);
  const observability = observabilityFromEnv("archive", env);
  const options = clientOptionsOf(env);
  const sqs = traced(observability.tracer, new SQSClient(clientConfigOf(options, "sqs")));
  const s3 = traced(observability.tracer, new S3Client(clientConfigOf(options, "s3")));
  const documents = documentClientOf(
    traced(observability.tracer, new DynamoDBClient(clientConfigOf(options, "dynamodb"))),
  );
  return createArchiveHandler({
    ports: {
      ...commonPortsOf(env, sqs),
      messages: new DynamoDbMessageLog(documents, env[ENV.messageLogTable]),
      pendingReceipts: new DynamoDbPendingReceiptStore(documents, env[ENV.pendingReceiptsTable]),
      archive: new S3ArchiveStore(s3, env[ENV.archiveBucket], { keyPrefix: env[ENV.archivePrefix] }),
    },
    observability,
  });
});
