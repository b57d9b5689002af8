import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { SecretEnv } from "./cloudFunction";
import { SECRET_ACCESSOR } from "./twilioWebhook";

export interface StackSecretArgs {
  secretId: pulumi.Input<string>;
  /** The one region it is replicated to, encrypted with the stack's key (CMEK). */
  region: pulumi.Input<string>;
  kmsKeyName: pulumi.Input<string>;
  /** The value (a Pulumi secret in the state). */
  data: pulumi.Input<string>;
}

export interface StackSecret {
  secret: gcp.secretmanager.Secret;
  version: gcp.secretmanager.SecretVersion;
  /** The secret as a function's environment variable `key`, once its version exists. */
  envAs(key: string): SecretEnv;
  /** Lets one function's account read it (and nothing else of Secret Manager). */
  grantRead(
    id: string,
    member: pulumi.Input<string>,
    parent: pulumi.Resource,
  ): gcp.secretmanager.SecretIamMember;
}

/**
 * A value of the stack config kept in Secret Manager, never a plain environment variable: the
 * functions read it as a secret environment variable (latest version), each granted accessor on
 * this secret only.
 */
export function stackSecret(
  name: string,
  args: StackSecretArgs,
  opts: pulumi.CustomResourceOptions,
): StackSecret {
  const secret = new gcp.secretmanager.Secret(
    name,
    {
      secretId: args.secretId,
      replication: {
        userManaged: {
          replicas: [{ location: args.region, customerManagedEncryption: { kmsKeyName: args.kmsKeyName } }],
        },
      },
    },
    opts,
  );
  const version = new gcp.secretmanager.SecretVersion(
    `${name}-version`,
    { secret: secret.id, secretData: pulumi.secret(args.data) },
    { parent: opts.parent },
  );
  // "latest" must exist when a function deploys: the secret's id, resolved only after the version.
  const secretIdOnceSet = pulumi.all([secret.secretId, version.id]).apply(([id]) => id);
  return {
    secret,
    version,
    envAs: (key) => ({ key, secretId: secretIdOnceSet }),
    grantRead: (id, member, parent) =>
      new gcp.secretmanager.SecretIamMember(
        `${name}-${id}-reads`,
        { secretId: secret.id, role: SECRET_ACCESSOR, member },
        { parent },
      ),
  };
}
