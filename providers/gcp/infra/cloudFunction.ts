import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/** A secret exposed to a function as an environment variable (Secret Manager, latest version). */
export interface SecretEnv {
  key: string;
  secretId: pulumi.Input<string>;
}

export interface CloudFunctionArgs {
  /** The function's (and its Cloud Run service's) name. */
  functionName: pulumi.Input<string>;
  description: pulumi.Input<string>;
  region: pulumi.Input<string>;
  project: pulumi.Input<string>;
  /** The Functions Framework target (the name the handler registered). */
  entryPoint: string;
  code: pulumi.Input<pulumi.asset.Archive>;
  sourceBucket: pulumi.Input<string>;
  memoryMb: pulumi.Input<number>;
  timeoutSeconds: pulumi.Input<number>;
  maxInstances: pulumi.Input<number>;
  /** Requests one instance serves at once; 1 with maxInstances 1 makes the function single-flight. */
  concurrency?: pulumi.Input<number>;
  /** Consumers take only internal traffic (Pub/Sub push); the Twilio webhook takes the internet's. */
  ingress: "ALLOW_INTERNAL_ONLY" | "ALLOW_ALL";
  environment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  secrets?: SecretEnv[];
  /**
   * Grants the function's account read on its `secrets` (one resource each). They are created
   * before the function, which depends on them: a revision whose account may not read a secret
   * environment variable cannot start.
   */
  readsSecrets?: (serviceAccountMember: pulumi.Output<string>, parent: pulumi.Resource) => SecretRead[];
}

/** A grant the function needs before it starts; undefined when that secret is not configured. */
export type SecretRead = pulumi.Resource | undefined;

export interface CloudFunctionParts {
  serviceAccount: gcp.serviceaccount.Account;
  source: gcp.storage.BucketObject;
  function: gcp.cloudfunctionsv2.Function;
}

/** Service account ids: 6-30 characters, lower-case letters, digits and dashes. */
export const serviceAccountIdOf = (name: string): string => {
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, 30)
    .replace(/-+$/, "");
  return id.length >= 6 ? id : `${id}-fn-sa`.slice(0, 30);
};

/**
 * One Cloud Functions gen2 function (Node.js 22) with its own service account (no roles here: the
 * caller grants exactly what the function touches, on the resources themselves) and its code
 * uploaded to the private source bucket.
 */
export const cloudFunction = (
  name: string,
  args: CloudFunctionArgs,
  parent: pulumi.Resource,
  dependsOn: pulumi.Input<pulumi.Resource>[] = [],
): CloudFunctionParts => {
  const serviceAccount = new gcp.serviceaccount.Account(
    `${name}-sa`,
    {
      accountId: serviceAccountIdOf(name),
      displayName: pulumi.interpolate`${args.functionName} function`,
      description: "Runs one function; granted only on the resources it uses",
    },
    { parent },
  );
  const source = new gcp.storage.BucketObject(
    `${name}-source`,
    {
      bucket: args.sourceBucket,
      name: pulumi.interpolate`${args.functionName}/source.zip`,
      source: args.code,
    },
    { parent },
  );
  const secretReads = (args.readsSecrets?.(serviceAccount.member, parent) ?? []).filter(
    (grant): grant is pulumi.Resource => grant !== undefined,
  );
  const fn = new gcp.cloudfunctionsv2.Function(
    `${name}-function`,
    {
      name: args.functionName,
      location: args.region,
      description: args.description,
      buildConfig: {
        runtime: "nodejs22",
        entryPoint: args.entryPoint,
        source: {
          storageSource: { bucket: args.sourceBucket, object: source.name, generation: source.generation },
        },
      },
      serviceConfig: {
        serviceAccountEmail: serviceAccount.email,
        availableMemory: pulumi.output(args.memoryMb).apply((mb) => `${mb}M`),
        timeoutSeconds: args.timeoutSeconds,
        maxInstanceCount: args.maxInstances,
        ...(args.concurrency === undefined ? {} : { maxInstanceRequestConcurrency: args.concurrency }),
        ingressSettings: args.ingress,
        allTrafficOnLatestRevision: true,
        environmentVariables: pulumi
          .output(args.environment)
          .apply((variables) => ({ ...variables, NODE_OPTIONS: "--enable-source-maps" })),
        secretEnvironmentVariables: (args.secrets ?? []).map((secret) => ({
          key: secret.key,
          projectId: args.project,
          secret: secret.secretId,
          version: "latest",
        })),
      },
    },
    { parent, dependsOn: [...dependsOn, ...secretReads] },
  );
  return { serviceAccount, source, function: fn };
};
