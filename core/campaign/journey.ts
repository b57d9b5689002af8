import type { MessageType } from "../events/schema";
import { parseDuration } from "./duration";

export type JourneyStep =
  | { type: "send"; id: string; template: string; messageType: MessageType }
  | { type: "wait"; id: string; durationMs: number }
  | {
      type: "branch";
      id: string;
      /** Reply keyword (upper case) -> id of the step to go to. */
      on: Record<string, string>;
      timeoutMs: number;
      /** Step to go to when no matching reply arrives in time. */
      onTimeout: string;
    }
  | { type: "end"; id: string };

export interface BranchOptions {
  on: Record<string, string>;
  timeout: string;
  otherwise: string;
}

/**
 * A journey as code. Steps run in the order written; a branch jumps by step id, and `end()` stops a
 * path. The seed's Welcome Series:
 *
 *   journey("welcome-series").send("welcome", "Welcome!").wait("1d").send("follow-up", "...")
 */
export class Journey {
  readonly steps: JourneyStep[] = [];
  private readonly index = new Map<string, number>();

  /** The campaign this journey runs for, when launched into a stack; its sends are keyed by it. */
  readonly campaignId?: string;
  /** The journey's own name ("welcome-series"), carried on its events; the id, unless a campaign runs it. */
  readonly name: string;

  constructor(
    readonly id: string,
    private readonly defaultMessageType: MessageType = "promotional",
    identity: { campaignId?: string; name?: string } = {},
  ) {
    this.name = identity.name ?? id;
    if (identity.campaignId) this.campaignId = identity.campaignId;
  }

  /** Rebuilds a journey from stored steps (a launched campaign's), checking its branches. */
  static fromSteps(
    id: string,
    steps: readonly JourneyStep[],
    identity: { campaignId?: string; name?: string } = {},
  ): Journey {
    const rebuilt = new Journey(id, "promotional", identity);
    for (const step of steps) rebuilt.add(structuredClone(step));
    return rebuilt.validate();
  }

  send(id: string, template: string, options: { messageType?: MessageType } = {}): this {
    return this.add({
      type: "send",
      id,
      template,
      messageType: options.messageType ?? this.defaultMessageType,
    });
  }

  wait(duration: string, id = `wait-${this.steps.length + 1}`): this {
    return this.add({ type: "wait", id, durationMs: parseDuration(duration) });
  }

  branch(id: string, options: BranchOptions): this {
    const on = Object.fromEntries(
      Object.entries(options.on).map(([keyword, target]) => [keyword.toUpperCase(), target]),
    );
    return this.add({
      type: "branch",
      id,
      on,
      timeoutMs: parseDuration(options.timeout),
      onTimeout: options.otherwise,
    });
  }

  end(id = `end-${this.steps.length + 1}`): this {
    return this.add({ type: "end", id });
  }

  step(id: string): JourneyStep | undefined {
    const position = this.index.get(id);
    return position === undefined ? undefined : this.steps[position];
  }

  /** The step written after `id`, or undefined at the end of the journey. */
  stepAfter(id: string): JourneyStep | undefined {
    const position = this.index.get(id);
    return position === undefined ? undefined : this.steps[position + 1];
  }

  get firstStep(): JourneyStep | undefined {
    return this.steps[0];
  }

  /** Throws if a branch points at a step that does not exist. */
  validate(): this {
    for (const step of this.steps) {
      if (step.type !== "branch") continue;
      for (const target of [...Object.values(step.on), step.onTimeout]) {
        if (!this.index.has(target))
          throw new Error(`journey ${this.id}: branch ${step.id} targets unknown step ${target}`);
      }
    }
    return this;
  }

  private add(step: JourneyStep): this {
    if (this.index.has(step.id)) throw new Error(`journey ${this.id}: duplicate step id ${step.id}`);
    this.index.set(step.id, this.steps.length);
    this.steps.push(step);
    return this;
  }
}

export function journey(id: string, options: { messageType?: MessageType } = {}): Journey {
  return new Journey(id, options.messageType);
}
