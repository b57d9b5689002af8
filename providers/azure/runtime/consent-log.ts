import type { Container } from "@azure/cosmos";
import type {
  ConsentEntry,
  ConsentLog,
  ConsentRecord,
  ErasedItems,
  ErasureSubject,
  SubscriberEraser,
} from "../../../core/ports";
import { appendToChain, type ChainRetry, type ChainStore } from "../../../core/processing/consent";
import { erasedItems } from "../../../core/processing/erasure-subject";
import { deleteWhere, queryAll, withoutSystemFields, writeIf } from "./cosmos-support";

interface ConsentItem {
  id: string;
  phone_number: string;
  sequence: number;
  action: ConsentEntry["action"];
  source: ConsentEntry["source"];
  wording: string;
  at: string;
  event_id: string;
  previous_hash: string;
  hash: string;
}

/** Queries name the partition in the filter too: cosmosdb-server ignores the partition key option. */
const OF_NUMBER = "WHERE c.phone_number = @phone";

/** Zero-padded, so ids sort in chain order too. */
const entryId = (sequence: number) => `entry-${String(sequence).padStart(12, "0")}`;

const toItem = (entry: ConsentEntry): ConsentItem => ({
  id: entryId(entry.sequence),
  phone_number: entry.phoneNumber,
  sequence: entry.sequence,
  action: entry.action,
  source: entry.source,
  wording: entry.wording,
  at: entry.at,
  event_id: entry.eventId,
  previous_hash: entry.previousHash,
  hash: entry.hash,
});

const fromItem = (stored: ConsentItem): ConsentEntry => {
  const item = withoutSystemFields(stored);
  return {
    phoneNumber: item.phone_number,
    action: item.action,
    source: item.source,
    wording: item.wording,
    at: item.at,
    eventId: item.event_id,
    sequence: item.sequence,
    previousHash: item.previous_hash,
    hash: item.hash,
  };
};

/**
 * The consent log in Cosmos DB (CONTAINERS.consentLog): one logical partition per phone number,
 * one item per entry, its id the zero-padded sequence. The container's unique key on /event_id
 * (scoped to the partition) makes one create claim both the sequence and the event: two appends
 * racing for a sequence, or one event appended twice at once, get 409 and read the chain again.
 */
export class CosmosConsentLog implements ConsentLog, SubscriberEraser {
  private readonly chain: ChainStore;

  constructor(
    private readonly container: Container,
    private readonly retry: ChainRetry = {},
  ) {
    this.chain = {
      entryOfEvent: async (phoneNumber, eventId) =>
        this.first(phoneNumber, `SELECT * FROM c ${OF_NUMBER} AND c.event_id = @eventId`, [
          { name: "@eventId", value: eventId },
        ]),
      lastEntry: (phoneNumber) =>
        this.first(phoneNumber, `SELECT TOP 1 * FROM c ${OF_NUMBER} ORDER BY c.sequence DESC`, []),
      create: (entry) => writeIf(() => this.container.items.create(toItem(entry))),
    };
  }

  append(record: ConsentRecord): Promise<ConsentEntry> {
    return appendToChain(this.chain, record, this.retry);
  }

  async entriesFor(phoneNumber: string): Promise<ConsentEntry[]> {
    const items = await queryAll<ConsentItem>(
      this.container,
      `SELECT * FROM c ${OF_NUMBER} ORDER BY c.sequence`,
      [{ name: "@phone", value: phoneNumber }],
      phoneNumber,
    );
    return items.map(fromItem);
  }

  /** The number's whole partition (the erasure reads the chain's head first, for the tombstone). */
  async erase(subject: ErasureSubject): Promise<ErasedItems> {
    const items = await deleteWhere<ConsentItem>(this.container, "phone_number", "c.phone_number = @phone", [
      { name: "@phone", value: subject.phoneNumber },
    ]);
    return erasedItems(
      "consent-log",
      items.map((item) => `${subject.phoneNumber}/${item.id}`),
    );
  }

  private async first(
    phoneNumber: string,
    query: string,
    parameters: { name: string; value: string }[],
  ): Promise<ConsentEntry | undefined> {
    const [item] = await queryAll<ConsentItem>(
      this.container,
      query,
      [{ name: "@phone", value: phoneNumber }, ...parameters],
      phoneNumber,
    );
    return item ? fromItem(item) : undefined;
  }
}

/** The consent log port when a container is named (CONSENT_LOG_CONTAINER); without one no evidence is kept. */
export const consentLogOf = (
  containerName: string | undefined,
  cosmos: (name: string) => Container,
): { consentLog?: ConsentLog } =>
  containerName ? { consentLog: new CosmosConsentLog(cosmos(containerName)) } : {};
