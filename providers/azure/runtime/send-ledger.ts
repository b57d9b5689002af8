import type { Container } from "@azure/cosmos";
import type { SendLedger, SendLedgerState } from "../../../core/ports";
import { type LedgerRecord, ledgerRecordOf, ledgerStateOf } from "../../../core/records";
import { cosmosId, readItem, writeIf } from "./cosmos-support";

/** Partitioned by /id: every claim is a point operation on its own logical partition. */
interface LedgerItem extends LedgerRecord {
  id: string;
  send_key: string;
}

const toItem = (key: string, state: SendLedgerState): LedgerItem => ({
  id: cosmosId(key),
  send_key: key,
  ...ledgerRecordOf(state),
});

/** One send per campaign, subscriber and step (SEND_LEDGER_CONTAINER): a claim is a create, 409 = taken. */
export class CosmosSendLedger implements SendLedger {
  constructor(private readonly container: Container) {}

  claim(key: string, at: string): Promise<boolean> {
    return writeIf(() => this.container.items.create(toItem(key, { state: "pending", at })));
  }

  async settle(key: string, state: Exclude<SendLedgerState, { state: "pending" }>): Promise<void> {
    await this.container.items.upsert(toItem(key, state));
  }

  async get(key: string): Promise<SendLedgerState | undefined> {
    const item = await readItem<LedgerItem>(this.container, cosmosId(key), cosmosId(key));
    return item && ledgerStateOf(item);
  }
}
