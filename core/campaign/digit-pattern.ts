/**
 * Answers one question about libphonenumber's metadata patterns exactly: for strings of digits that
 * start with a given prefix and have a given length, does the pattern match all of them, none of
 * them, or some? When every pattern a parse consults answers "all" or "none", every number with
 * that prefix takes the same path through the parse and gets the same verdict (see phone.ts).
 *
 * Only the dialect the metadata uses is understood: digits, `\d`, `[...]` classes with ranges,
 * `(?:...)` and `(...)` groups, `|`, and the quantifiers `{n}`, `{n,m}`, `{n,}`, `?`, `*`, `+`.
 * Anything else throws, and the caller then never takes the shortcut.
 */
export type PrefixAnswer = "all" | "none" | "some";

type Node =
  | { kind: "digits"; mask: number }
  | { kind: "sequence"; items: Node[] }
  | { kind: "choice"; options: Node[] }
  | { kind: "repeat"; node: Node; min: number; max: number };

const ALL_DIGITS = 0b11_1111_1111;
/** Past this many distinct state sets the question is left open ("some"): safe, never wrong. */
const STATE_SET_LIMIT = 2_000;

class Parser {
  private at = 0;
  constructor(private readonly source: string) {}

  parse(): Node {
    const node = this.choice();
    if (this.at !== this.source.length) this.fail();
    return node;
  }

  private fail(): never {
    throw new Error(`unsupported digit pattern at ${this.at}: ${this.source}`);
  }

  private choice(): Node {
    const options = [this.sequence()];
    while (this.source[this.at] === "|") {
      this.at++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0] : { kind: "choice", options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.at < this.source.length && this.source[this.at] !== "|" && this.source[this.at] !== ")") {
      items.push(this.quantified(this.atom()));
    }
    return { kind: "sequence", items };
  }

  private atom(): Node {
    const char = this.source[this.at];
    if (char >= "0" && char <= "9") {
      this.at++;
      return { kind: "digits", mask: 1 << Number(char) };
    }
    if (char === "\\" && this.source[this.at + 1] === "d") {
      this.at += 2;
      return { kind: "digits", mask: ALL_DIGITS };
    }
    if (char === "[") return this.digitClass();
    if (char === "(") {
      this.at += this.source.startsWith("(?:", this.at) ? 3 : 1;
      const node = this.choice();
      if (this.source[this.at] !== ")") this.fail();
      this.at++;
      return node;
    }
    return this.fail();
  }

  private digitClass(): Node {
    this.at++;
    const negated = this.source[this.at] === "^";
    if (negated) this.at++;
    let mask = 0;
    while (this.source[this.at] !== "]") {
      const from = this.classDigit();
      let to = from;
      if (this.source[this.at] === "-" && this.source[this.at + 1] !== "]") {
        this.at++;
        to = this.classDigit();
      }
      for (let digit = from; digit <= to; digit++) mask |= 1 << digit;
    }
    this.at++;
    return { kind: "digits", mask: negated ? ALL_DIGITS & ~mask : mask };
  }

  private classDigit(): number {
    const char = this.source[this.at];
    if (char === "\\" && this.source[this.at + 1] === "d") this.fail();
    if (!(char >= "0" && char <= "9")) this.fail();
    this.at++;
    return Number(char);
  }

  private quantified(node: Node): Node {
    const char = this.source[this.at];
    if (char === "?" || char === "*" || char === "+") {
      this.at++;
      if (this.source[this.at] === "?") this.fail();
      return {
        kind: "repeat",
        node,
        min: char === "+" ? 1 : 0,
        max: char === "?" ? 1 : Number.POSITIVE_INFINITY,
      };
    }
    if (char !== "{") return node;
    const bounds = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.at));
    if (!bounds) return this.fail();
    this.at += bounds[0].length;
    const min = Number(bounds[1]);
    const max =
      bounds[2] === undefined ? min : bounds[3] === "" ? Number.POSITIVE_INFINITY : Number(bounds[3]);
    return { kind: "repeat", node, min, max };
  }
}

/** A Thompson automaton: each state has empty moves and at most one digit move. */
class Automaton {
  readonly empty: number[][] = [];
  readonly digitMask: number[] = [];
  readonly digitTarget: number[] = [];
  readonly start: number;
  readonly accept: number;
  private readonly closures = new Map<string, PrefixAnswer>();

  constructor(node: Node) {
    this.start = this.state();
    this.accept = this.state();
    this.build(node, this.start, this.accept);
  }

  private state(): number {
    this.empty.push([]);
    this.digitMask.push(0);
    this.digitTarget.push(-1);
    return this.empty.length - 1;
  }

  private build(node: Node, from: number, to: number): void {
    switch (node.kind) {
      case "digits": {
        const at = this.state();
        this.empty[from].push(at);
        this.digitMask[at] = node.mask;
        this.digitTarget[at] = to;
        return;
      }
      case "sequence": {
        let current = from;
        for (const item of node.items) {
          const next = this.state();
          this.build(item, current, next);
          current = next;
        }
        this.empty[current].push(to);
        return;
      }
      case "choice":
        for (const option of node.options) this.build(option, from, to);
        return;
      case "repeat": {
        let current = from;
        for (let i = 0; i < node.min; i++) {
          const next = this.state();
          this.build(node.node, current, next);
          current = next;
        }
        if (node.max === Number.POSITIVE_INFINITY) {
          const loop = this.state();
          this.empty[current].push(loop);
          this.build(node.node, loop, loop);
          this.empty[loop].push(to);
          return;
        }
        for (let i = node.min; i < node.max; i++) {
          const next = this.state();
          this.empty[current].push(to);
          this.build(node.node, current, next);
          current = next;
        }
        this.empty[current].push(to);
        return;
      }
    }
  }

  /** The states reachable from these by empty moves, sorted. */
  closure(states: Iterable<number>): number[] {
    const seen = new Set<number>();
    const stack = [...states];
    while (stack.length > 0) {
      const state = stack.pop() as number;
      if (seen.has(state)) continue;
      seen.add(state);
      for (const next of this.empty[state]) if (!seen.has(next)) stack.push(next);
    }
    return [...seen].sort((a, b) => a - b);
  }

  step(states: readonly number[], digit: number): number[] {
    const targets: number[] = [];
    for (const state of states) {
      if (this.digitMask[state] & (1 << digit)) targets.push(this.digitTarget[state]);
    }
    return targets.length === 0 ? targets : this.closure(targets);
  }

  /** Whether all, none or some strings of `remaining` digits lead from these states to acceptance. */
  answerFrom(states: readonly number[], remaining: number): PrefixAnswer {
    if (states.length === 0) return "none";
    const key = `${remaining}:${states.join(",")}`;
    const known = this.closures.get(key);
    if (known !== undefined) return known;
    let layer = new Map<string, readonly number[]>([[states.join(","), states]]);
    for (let i = 0; i < remaining; i++) {
      const next = new Map<string, readonly number[]>();
      for (const set of layer.values()) {
        for (let digit = 0; digit <= 9; digit++) {
          const after = this.step(set, digit);
          next.set(after.join(","), after);
        }
      }
      if (next.size > STATE_SET_LIMIT) return "some";
      layer = next;
    }
    let accepting = 0;
    for (const set of layer.values()) if (set.includes(this.accept)) accepting++;
    const answer = accepting === 0 ? "none" : accepting === layer.size ? "all" : "some";
    this.closures.set(key, answer);
    return answer;
  }
}

/** A metadata pattern compiled once, asked about many prefixes. */
export class DigitPattern {
  private readonly automaton: Automaton;

  /**
   * `whole`: the pattern must match the entire string (libphonenumber's matchesEntirely).
   * `start`: a match starting at the first digit is enough (its leading-digits `search() === 0`
   * and national-prefix `^(?:...)` tests).
   */
  constructor(source: string, anchoring: "whole" | "start" = "whole") {
    const node = new Parser(source).parse();
    this.automaton = new Automaton(
      anchoring === "whole"
        ? node
        : {
            kind: "sequence",
            items: [
              node,
              { kind: "repeat", node: { kind: "digits", mask: ALL_DIGITS }, min: 0, max: Infinity },
            ],
          },
    );
  }

  /** For digit strings of `length` that start with `prefix` (digits only): all, none or some match. */
  answerFor(prefix: string, length: number): PrefixAnswer {
    if (prefix.length > length) return "none";
    let states = this.automaton.closure([this.automaton.start]);
    for (let i = 0; i < prefix.length && states.length > 0; i++) {
      states = this.automaton.step(states, prefix.charCodeAt(i) - 48);
    }
    return this.automaton.answerFrom(states, length - prefix.length);
  }

  /** Whether the whole digit string matches (the plain test, for checking this class against RegExp). */
  matches(digits: string): boolean {
    return this.answerFor(digits, digits.length) === "all";
  }
}
