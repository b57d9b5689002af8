/**
 * `{{name}}` inserts a subscriber attribute; `{{name|fallback}}` inserts the fallback when the
 * attribute is empty. Without a fallback an empty attribute renders empty, which plans count.
 */
const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*(?:\|([^}]*))?\}\}/g;

export type TemplateValues = Record<string, string | undefined>;

export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_, name: string, fallback: string | undefined) => {
    const value = values[name];
    return value ? value : (fallback?.trim() ?? "");
  });
}

/** Every placeholder's name, once each, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]))];
}

/** Placeholders that name no field: a typo like {{frist_name}} that would render empty for everyone. */
export function unknownPlaceholders(template: string, fields: readonly string[]): string[] {
  return placeholdersOf(template).filter((name) => !fields.includes(name));
}

/** Placeholders without a fallback whose value is empty for these values (once each). */
export function blankPlaceholders(template: string, values: TemplateValues): string[] {
  const blank = new Set<string>();
  for (const [, name, fallback] of template.matchAll(PLACEHOLDER)) {
    if (!values[name] && fallback === undefined) blank.add(name);
  }
  return [...blank];
}

type TemplatePart = string | { name: string; fallback: string | undefined };

/** What a placeholder inserts: its value, else its fallback, else nothing (as renderTemplate). */
function inserted(
  slot: { name: string; fallback: string | undefined },
  read: (name: string) => string | undefined,
) {
  return read(slot.name) || (slot.fallback ?? "");
}

/**
 * A template split once into text and placeholders, for rendering the same template for every row
 * of an audience: the same output as renderTemplate and blankPlaceholders without a regex per row.
 * `read` gives a placeholder's value, as `values[name]` would.
 */
export class CompiledTemplate {
  private readonly parts: TemplatePart[] = [];
  /** Names with at least one placeholder without a fallback, in order of first such use. */
  private readonly bareNames: string[] = [];

  constructor(template: string) {
    let at = 0;
    for (const match of template.matchAll(PLACEHOLDER)) {
      if (match.index > at) this.parts.push(template.slice(at, match.index));
      const [, name, fallback] = match;
      this.parts.push({ name, fallback: fallback?.trim() });
      if (fallback === undefined && !this.bareNames.includes(name)) this.bareNames.push(name);
      at = match.index + match[0].length;
    }
    if (at < template.length) this.parts.push(template.slice(at));
  }

  render(read: (name: string) => string | undefined): string {
    let body = "";
    for (const part of this.parts) body += typeof part === "string" ? part : inserted(part, read);
    return body;
  }

  /** The placeholders, in order: what they insert decides the body. */
  get slots(): readonly { name: string; fallback: string | undefined }[] {
    return this.parts.filter((part) => typeof part !== "string");
  }

  /** Calls `blank` once for each placeholder without a fallback whose value is empty. */
  forEachBlank(read: (name: string) => string | undefined, blank: (name: string) => void): void {
    for (const name of this.bareNames) if (!read(name)) blank(name);
  }
}

/**
 * `derive(body)` remembered per distinct sequence of inserted values (a tree of maps keyed by each
 * placeholder's value), so a row whose values were seen before builds no body at all. Bounded:
 * when full it starts over.
 */
export class RenderMemo<T> {
  private readonly slots: readonly { name: string; fallback: string | undefined }[];
  private root = new Map<unknown, unknown>();
  private size = 0;

  constructor(
    private readonly template: CompiledTemplate,
    private readonly derive: (body: string) => T,
    private readonly limit = 10_000,
  ) {
    this.slots = template.slots;
  }

  get(read: (name: string) => string | undefined): T {
    let node = this.root;
    const last = this.slots.length - 1;
    for (let i = 0; i < last; i++) {
      const value = inserted(this.slots[i], read);
      let child = node.get(value) as Map<unknown, unknown> | undefined;
      if (child === undefined) {
        child = new Map();
        node.set(value, child);
      }
      node = child;
    }
    const key = last < 0 ? "" : inserted(this.slots[last], read);
    if (node.has(key)) return node.get(key) as T;
    const derived = this.derive(this.template.render(read));
    if (this.size >= this.limit) {
      this.root = new Map();
      this.size = 0;
      return derived;
    }
    node.set(key, derived);
    this.size++;
    return derived;
  }
}
