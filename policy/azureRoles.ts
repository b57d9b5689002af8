import type { ResourceValidationPolicy } from "@pulumi/policy";

/** Owner and User Access Administrator can grant access: never assigned by the stack. */
const NEVER_ASSIGNED: Record<string, string> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
};
const BROAD_SCOPE = /^\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+)?\/?$/i;

/** Role assignments name one resource as their scope, never a subscription or resource group. */
export const azureRoleAssignmentScope: ResourceValidationPolicy = {
  name: "azure-role-assignment-scope",
  description:
    "Role assignments are scoped to a resource (not a subscription, resource group or management group) and never grant Owner or User Access Administrator.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (args.type !== "azure-native:authorization:RoleAssignment") {
      args.notApplicable("not an Azure role assignment");
      return;
    }
    const scope = String(args.props.scope ?? "");
    if (!scope.startsWith("/subscriptions/") || BROAD_SCOPE.test(scope)) {
      report(`scope "${scope}" is broader than one resource`);
    }
    const role = String(args.props.roleDefinitionId ?? "")
      .split("/")
      .at(-1);
    if (role && NEVER_ASSIGNED[role]) report(`the stack never assigns ${NEVER_ASSIGNED[role]}`);
  },
};
