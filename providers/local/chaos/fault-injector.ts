/**
 * Decides, call by call, whether a fault is injected, and counts the faults per service so the
 * run can report them. Seeded, so a chaos run is as reproducible as the calls' order allows.
 * Disarmed until the campaign starts and after it ends: provisioning the emulators and reading
 * the results back are the test bench, not the system under test.
 */
import { mulberry32, type Random } from "../run/prng";

export type FaultedService = "kinesis" | "dynamodb" | "s3" | "sender";

export class FaultInjector {
  private readonly random: Random;
  readonly injected: Record<FaultedService, number> = { kinesis: 0, dynamodb: 0, s3: 0, sender: 0 };
  armed = false;

  constructor(
    private readonly rate: number,
    seed: number,
  ) {
    this.random = mulberry32(seed ^ 0x5eed_fa17);
  }

  /** True when this call of `service` is to fail; counted as injected. */
  strikes(service: FaultedService): boolean {
    if (!this.armed || this.rate <= 0 || this.random() >= this.rate) return false;
    this.injected[service]++;
    return true;
  }
}
