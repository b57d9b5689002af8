/** `{{name}}` placeholders filled from subscriber attributes; a missing attribute renders empty. */
const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

export function renderTemplate(template: string, values: Record<string, string | undefined>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => values[name] ?? "");
}

export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1]);
}
