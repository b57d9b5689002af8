import type { Container } from "@azure/cosmos";
import type { SendLedger, SendLedgerState } from "../../../core/ports";
import { cosmosId, readItem, withoutUndefined, writeIf } from "./cosmos-support";

/** Partitioned by /id: every claim is a point operation on its own logical partition. */
interface LedgerItem {
  id: string;
  send_key: string;
  state: SendLedgerState["state"];
  at: string;
  message_id?: string;
  reason?: string;
}

const toItem = (key: string, state: SendLedgerState): LedgerItem =>
  withoutUndefined({
    id: cosmosId(key),
    send_key: key,
    state: state.state,
    at: state.at,
    message_id: state.state === "sent" ? state.messageId : undefined,
    reason: state.state === "skipped" ? state.reason : undefined,
  });

const fromItem = (item: LedgerItem): SendLedgerState => {
  switch (item.state) {
    case "sent":
      return { state: "sent", at: item.at, messageId: item.message_id ?? "" };
    case "skipped":
      return { state: "skipped", at: item.at, reason: item.reason ?? "" };
    default:
      return { state: "pending", at: item.at };
  }
};

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
    return item && fromItem(item);
  }
}
