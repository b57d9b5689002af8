/** Reading IAM-style policy documents (string or object), shared by the policies. */

export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  Condition?: unknown;
}

export const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The statements of a policy document given as JSON text or as an object; [] if absent or unreadable. */
export function statementsOf(document: unknown): PolicyStatement[] {
  let parsed: unknown = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document);
    } catch {
      return [];
    }
  }
  if (!parsed || typeof parsed !== "object") return [];
  const statement = (parsed as { Statement?: PolicyStatement | PolicyStatement[] }).Statement;
  return statement === undefined ? [] : Array.isArray(statement) ? statement : [statement];
}

/** True when a principal grants everyone ("*" or {AWS: "*"}). */
export const isPublicPrincipal = (principal: unknown): boolean => {
  if (principal === "*") return true;
  if (principal && typeof principal === "object" && "AWS" in principal) {
    return asList((principal as { AWS: string | string[] }).AWS).includes("*");
  }
  return false;
};
