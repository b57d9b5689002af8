/**
 * The Cosmos DB consent log against cosmosdb-server: the ConsentLog contract (append, idempotent
 * re-append, order, concurrency without a fork, tamper detection), in a container created as
 * infra/dataStore.ts creates it (partition /phone_number, unique key /event_id).
 */
import { randomUUID } from "node:crypto";
import { type Container, CosmosClient } from "@azure/cosmos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeEvent } from "../../../core/events/decode";
import { verifyChain } from "../../../core/processing/consent";
import { insecureAgent, startCosmosServer } from "../../../providers/azure/emulators";
import { CosmosConsentLog } from "../../../providers/azure/runtime/consent-log";
import { containerDefinitionOf } from "../../../providers/azure/runtime/containers";
import { buildAzureConsumers } from "../../../providers/local/clouds/azure-consumers";
import { cosmosStores, createCosmosContainers } from "../../../providers/local/clouds/azure-stores";
import type { RunningEmulator } from "../../../providers/local/emulators/kinesis";
import { createMemoryPorts } from "../../../providers/local/runtime/memory";
import { consentLogContract, consentRecord } from "../../contracts/consent-log.contract";
import { uniquePhone } from "../../contracts/support";
import { replyEvent } from "../../unit/aws/kinesis-events";

const log = process.env["EMULATOR_LOG"] ? (line: string) => console.log(line) : undefined;
let cosmos: RunningEmulator | undefined;
let container: Container;

beforeAll(async () => {
  cosmos = await startCosmosServer({ log });
  const client = new CosmosClient({ endpoint: cosmos.endpoint, key: "emulator", agent: insecureAgent });
  const { database } = await client.databases.createIfNotExists({ id: `sms-${randomUUID().slice(0, 8)}` });
  ({ container } = await database.containers.createIfNotExists(containerDefinitionOf("consentLog")));
}, 60_000);

afterAll(async () => {
  await cosmos?.process.stop();
});

consentLogContract("Cosmos DB (cosmosdb-server)", async () => ({
  log: new CosmosConsentLog(container),
  tamper: async (phone, sequence, change) => {
    const id = `entry-${String(sequence).padStart(12, "0")}`;
    const { resource } = await container.item(id, phone).read();
    const renamed = Object.fromEntries(
      Object.entries(change).map(([key, value]) => [
        key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
        value,
      ]),
    );
    await container.item(id, phone).replace({ ...resource, ...renamed });
    return new CosmosConsentLog(container);
  },
}));

describe("the Cosmos consent log's container", () => {
  it("refuses a second entry for one event even at another sequence (the unique key, not only the reader)", async () => {
    const phone = uniquePhone();
    const log = new CosmosConsentLog(container);
    const first = await log.append(consentRecord(phone, 1));
    // Written behind the adapter's back: the same event at sequence 2.
    const clash = { ...first, sequence: 2 };
    await expect(
      container.items.create({
        id: "entry-000000000002",
        phone_number: phone,
        sequence: 2,
        event_id: clash.eventId,
      }),
    ).rejects.toMatchObject({ code: 409 });
    expect(verifyChain(await log.entriesFor(phone))).toEqual({ ok: true, entries: 1 });
  });
});

describe("the local Azure run's responses function", () => {
  it("keeps a STOP's consent evidence in Cosmos, once across a redelivered batch", async () => {
    const stores = cosmosStores(await createCosmosContainers(cosmos!.endpoint));
    const memory = createMemoryPorts({ now: "2026-11-24T10:00:00.000Z" });
    const { responses } = buildAzureConsumers({
      recordMaxAttempts: 1,
      deadLetter: memory.deadLetter,
      metrics: memory.metrics,
      operationalMetrics: memory.metrics,
      // Only the archive function writes there, and it does not run here.
      archive: undefined as never,
      stores,
      notifier: memory.notifier,
      autoReplies: memory.sender,
      responsesSettings: { helpText: "help", stopConfirmationText: "bye", patterns: [] },
    });
    const phone = uniquePhone();
    const stop = JSON.parse(
      new TextDecoder().decode(encodeEvent(replyEvent("STOP", { phoneNumber: phone }))),
    );
    const context = {
      triggerMetadata: { sequenceNumberArray: [1], partitionContext: { EventHubName: "sms-events-stream" } },
      log: () => {},
      warn: () => {},
      error: () => {},
    };
    await responses([stop], context as never);
    await responses([stop], context as never);
    const entries = await stores.consentLog!.entriesFor(phone);
    expect(entries).toMatchObject([
      { action: "opt_out", source: "reply_keyword", wording: "STOP", sequence: 1 },
    ]);
    expect(verifyChain(entries)).toEqual({ ok: true, entries: 1 });
    expect(memory.deadLetter.entries).toEqual([]);
  });
});
