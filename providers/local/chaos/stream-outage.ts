/**
 * The local stream's emulator is down (killed, restarting, being restored). The stream's writer
 * and its readers hold their calls while it lasts, and treat a call it interrupted as not made:
 * a failed put is put again, a read's answer is dropped and the shard read again from a position
 * checked against the restored stream. A call's errors outside an outage still surface.
 */
export class StreamOutage {
  private outages = 0;
  private ongoing: { over: Promise<void>; end: () => void } | undefined;

  /** Raises the outage; calls started from now on wait until `end`. */
  begin(): void {
    this.outages++;
    let end = () => {};
    const over = new Promise<void>((resolve) => {
      end = resolve;
    });
    this.ongoing ??= { over, end };
  }

  end(): void {
    const ongoing = this.ongoing;
    this.ongoing = undefined;
    ongoing?.end();
  }

  /** Outages so far: a call notes it before it starts, to ask `interrupted` afterwards. */
  get count(): number {
    return this.outages;
  }

  get active(): boolean {
    return this.ongoing !== undefined;
  }

  /** Resolves at once when the stream is up, else when the outage ends. */
  async passable(): Promise<void> {
    while (this.ongoing) await this.ongoing.over;
  }

  /** True when an outage began since `count` was noted, or is still on. */
  interrupted(countBefore: number): boolean {
    return this.outages !== countBefore || this.active;
  }
}
