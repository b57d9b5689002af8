export interface FrequencyCapConfig {
  /** At most this many messages per subscriber... */
  limit: number;
  /** ...in any window of this length. */
  windowMs: number;
}

/**
 * Counts sends per subscriber in a sliding window. In memory, so it caps one sending process
 * (a campaign run, a journey worker); a cap shared across processes needs a store behind it.
 */
export class FrequencyCap {
  private readonly sends = new Map<string, number[]>();

  constructor(private readonly config: FrequencyCapConfig) {}

  /** Undefined if a send is allowed now, else the instant the oldest send leaves the window. */
  blockedUntil(subscriberId: string, now: Date): Date | undefined {
    const recent = this.prune(subscriberId, now.getTime());
    if (recent.length < this.config.limit) return undefined;
    return new Date(recent[0] + this.config.windowMs);
  }

  record(subscriberId: string, at: Date): void {
    const recent = this.prune(subscriberId, at.getTime());
    recent.push(at.getTime());
    this.sends.set(subscriberId, recent);
  }

  private prune(subscriberId: string, now: number): number[] {
    const recent = (this.sends.get(subscriberId) ?? []).filter((t) => t > now - this.config.windowMs);
    if (recent.length === 0) this.sends.delete(subscriberId);
    else this.sends.set(subscriberId, recent);
    return recent;
  }
}
