/**
 * IAM policy documents as plain data: small pure builders shared by every component, so each
 * role's statements read as a list of "this action on that ARN".
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource: pulumi.Input<string>[];
  Principal?: Record<string, pulumi.Input<string> | pulumi.Input<string>[]>;
  Condition?: Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[]>>;
}

/** X-Ray's two write actions support no resource-level permissions: the one accepted `*`. */
export const XRAY_WRITE_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"] as const;

/** A JSON policy document (for role policies, key policies, bucket and queue policies). */
export const policyJson = (statements: Statement[]): pulumi.Output<string> =>
  pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });

export const allow = (actions: string[], resources: pulumi.Input<string>[], sid?: string): Statement => ({
  ...(sid ? { Sid: sid } : {}),
  Effect: "Allow",
  Action: actions,
  Resource: resources,
});

/** Trust policy for a role one AWS service assumes, limited to this account. */
export const assumeRolePolicy = (service: string, accountId: pulumi.Input<string>): pulumi.Output<string> =>
  pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  });

/** Account, region and partition of the deploying credentials, as Outputs under `parent`. */
export const awsContext = (parent: pulumi.Resource) => ({
  accountId: aws.getCallerIdentityOutput({}, { parent }).accountId,
  region: aws.getRegionOutput({}, { parent }).region,
  partition: aws.getPartitionOutput({}, { parent }).partition,
});

/**
 * A role one service assumes, with one inline least-privilege policy (depend on `policy` before
 * creating whatever the role must already be allowed to do). Both resources are
 * children of `parent` and named after `name`.
 */
export const createServiceRole = (
  name: string,
  service: string,
  accountId: pulumi.Input<string>,
  statements: Statement[],
  parent: pulumi.Resource,
): { role: aws.iam.Role; policy: aws.iam.RolePolicy } => {
  const role = new aws.iam.Role(
    `${name}-role`,
    { assumeRolePolicy: assumeRolePolicy(service, accountId) },
    { parent },
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-policy`,
    { role: role.id, policy: policyJson(statements) },
    { parent },
  );
  return { role, policy };
};
