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
