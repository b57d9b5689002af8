import type { OptOutStore } from "../../../core/ports";

/**
 * The functions' opt-out store, with every change also written to a view the local ticker reads:
 * the ticker then checks opt-outs in memory (two checks per send would triple a run against
 * DynamoDB Local), and still sees each STOP as soon as the responses function has stored it.
 */
export class MirroredOptOutStore implements OptOutStore {
  constructor(
    private readonly primary: OptOutStore,
    private readonly view: OptOutStore,
  ) {}

  async optOut(phoneNumber: string, at: string, sourceEventId: string): Promise<boolean> {
    const first = await this.primary.optOut(phoneNumber, at, sourceEventId);
    await this.view.optOut(phoneNumber, at, sourceEventId);
    return first;
  }

  async optIn(phoneNumber: string): Promise<boolean> {
    const changed = await this.primary.optIn(phoneNumber);
    await this.view.optIn(phoneNumber);
    return changed;
  }

  isOptedOut(phoneNumber: string): Promise<boolean> {
    return this.primary.isOptedOut(phoneNumber);
  }
}
