import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asList, type PolicyStatement, statementsOf } from "./statements";

/**
 * Actions that support no resource-level permissions and so may (only) be granted on "*".
 * X-Ray's two write actions are what an actively traced Lambda function needs.
 */
export const RESOURCE_STAR_ALLOWED_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"];

/** The problems of one statement, as sentences (empty when it is least-privilege). */
export function statementProblems(statement: PolicyStatement, starAllowed: readonly string[]): string[] {
  if (statement.Effect === "Deny") return [];
  const problems: string[] = [];
  const label = statement.Sid ? `statement "${statement.Sid}"` : "a statement";
  if (statement.NotAction !== undefined) problems.push(`${label} uses NotAction (grants everything else)`);
  if (statement.NotResource !== undefined)
    problems.push(`${label} uses NotResource (grants everything else)`);
  const actions = asList(statement.Action);
  const wildcards = actions.filter((action) => action.includes("*"));
  if (wildcards.length > 0) problems.push(`${label} grants wildcard actions ${wildcards.join(", ")}`);
  if (asList(statement.Resource).includes("*")) {
    const notAllowed = actions.filter((action) => !starAllowed.includes(action));
    if (notAllowed.length > 0) {
      problems.push(`${label} grants ${notAllowed.join(", ")} on every resource ("*")`);
    }
  }
  return problems;
}

/**
 * IAM policies list their actions (no wildcards) and scope them to ARNs; "*" as a resource is
 * accepted only for actions that have no resource-level permissions (the allow-list).
 */
export const leastPrivilegeIam: ResourceValidationPolicy = {
  name: "iam-least-privilege",
  description:
    'IAM policies name their actions and resources: no "*" actions, no "*" resources outside an allow-list.',
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      resourceStarAllowedActions: {
        type: "array",
        items: { type: "string" },
        default: RESOURCE_STAR_ALLOWED_ACTIONS,
      },
    },
  },
  validateResource: (args, report) => {
    const { resourceStarAllowedActions } = args.getConfig<{ resourceStarAllowedActions: string[] }>();
    const documents =
      args.asType(aws.iam.RolePolicy)?.policy ??
      args.asType(aws.iam.Policy)?.policy ??
      args.asType(aws.iam.UserPolicy)?.policy ??
      args.asType(aws.iam.GroupPolicy)?.policy;
    const role = args.asType(aws.iam.Role);
    const all =
      documents !== undefined
        ? [documents]
        : role
          ? (role.inlinePolicies ?? []).map((inline) => inline.policy)
          : args.notApplicable("not an IAM policy");
    for (const document of all) {
      for (const statement of statementsOf(document)) {
        for (const problem of statementProblems(statement, resourceStarAllowedActions)) report(problem);
      }
    }
  },
};
