import { Budget } from "../../../core/campaign/budget";
import type { DispatchDeps } from "../../../core/campaign/dispatch";
import { FrequencyCap, type FrequencyCapConfig } from "../../../core/campaign/frequency-cap";
import { createPacer } from "../../../core/campaign/pacer";
import type { Subscriber } from "../../../core/ports";
import { createMemoryPorts, type MemoryPorts } from "../../../providers/local/runtime/memory";

/** 12:00 UTC = 07:00/08:00 in New York and 04:00/05:00 in Seattle; tests pick their own instants. */
export const MIDDAY_NEW_YORK = "2026-06-15T16:00:00.000Z";

export interface TestCampaign {
  ports: MemoryPorts;
  deps: DispatchDeps;
}

export function testCampaign(
  options: { now?: string; mps?: number; budgetUsd?: number; frequencyCap?: FrequencyCapConfig } = {},
): TestCampaign {
  const ports = createMemoryPorts({ now: options.now ?? MIDDAY_NEW_YORK });
  const deps: DispatchDeps = {
    sender: ports.sender,
    provider: "local",
    ledger: ports.ledger,
    optOuts: ports.optOuts,
    publisher: ports.publisher,
    clock: ports.clock,
    pacer: createPacer(options.mps ?? 100, ports.clock),
    budget: new Budget(options.budgetUsd),
    frequencyCap: options.frequencyCap ? new FrequencyCap(options.frequencyCap) : undefined,
  };
  return { ports, deps };
}

/** New York numbers (212) so midday UTC is inside the window. */
export function newYorkSubscriber(n: number, attributes: Record<string, string> = {}): Subscriber {
  return {
    subscriberId: `sub-${n}`,
    phoneNumber: `+1212555${String(1000 + n).padStart(4, "0")}`,
    attributes,
  };
}
