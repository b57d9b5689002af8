import * as gcp from "@pulumi/gcp";
import type { ResourceValidationPolicy } from "@pulumi/policy";

/** Basic roles grant almost everything in a project. */
export const BASIC_ROLES = ["roles/owner", "roles/editor", "roles/viewer"];
const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];

interface Grant {
  role?: string;
  member?: string;
  members?: string[];
  condition?: { expression?: string };
}

/**
 * GCP grants are made on the resource they concern (topic, subscription, bucket, secret, key,
 * service): no basic roles anywhere; a project-level grant only with a condition narrowing it to
 * named resources (Firestore has no resource-level IAM); no public members, except the
 * allow-listed invoker role a public webhook needs (it authenticates requests by signature).
 */
export const gcpIamScope: ResourceValidationPolicy = {
  name: "gcp-iam-resource-scope",
  description:
    "No basic roles; project-level grants only with a resource condition; public members only for allow-listed roles on a Cloud Run service.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      publicRolesAllowed: { type: "array", items: { type: "string" }, default: ["roles/run.invoker"] },
    },
  },
  validateResource: (args, report) => {
    const isIam = args.type.startsWith("gcp:") && /(IAM|Iam)(Member|Binding|Policy)$/.test(args.type);
    if (!isIam) args.notApplicable("not an IAM grant");
    if (/(IAMPolicy|IamPolicy)$/.test(args.type) && args.type.startsWith("gcp:projects/")) {
      report("do not manage the whole project IAM policy from this stack");
      return;
    }
    const grant = args.props as Grant;
    const role = grant.role ?? "";
    const members = [grant.member, ...(grant.members ?? [])].filter((m): m is string => !!m);
    if (BASIC_ROLES.includes(role))
      report(`basic role ${role} is not allowed; grant a predefined role on the resource`);
    const projectLevel = args.isType(gcp.projects.IAMMember) || args.isType(gcp.projects.IAMBinding);
    if (projectLevel && !grant.condition?.expression) {
      report(`project-level grant of ${role} needs a condition naming the resources it applies to`);
    }
    const { publicRolesAllowed } = args.getConfig<{ publicRolesAllowed: string[] }>();
    const publicMembers = members.filter((m) => PUBLIC_MEMBERS.includes(m));
    const publicAllowed = args.isType(gcp.cloudrunv2.ServiceIamMember) && publicRolesAllowed.includes(role);
    if (publicMembers.length > 0 && !publicAllowed) {
      report(`${publicMembers.join(", ")} may not be granted ${role} here`);
    }
  },
};
