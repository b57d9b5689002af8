/**
 * A per-campaign spending cap. Cost is reserved before a send and released if the send does not
 * happen, so concurrent sends can never overshoot the cap together.
 */
export class Budget {
  private spent = 0;

  constructor(private readonly capUsd: number = Number.POSITIVE_INFINITY) {}

  get spentUsd(): number {
    return this.spent;
  }

  tryReserve(costUsd: number): boolean {
    // A tiny epsilon keeps float noise from refusing the message that exactly meets the cap.
    if (this.spent + costUsd > this.capUsd + 1e-9) return false;
    this.spent += costUsd;
    return true;
  }

  release(costUsd: number): void {
    this.spent = Math.max(0, this.spent - costUsd);
  }

  /** Counts money spent by an earlier run (messages already settled as sent). */
  charge(costUsd: number): void {
    this.spent += costUsd;
  }
}
