/**
 * Runs CrossGuard policies in-process (pulumi-policy-aws "awsguard" style): builds the validation
 * args the policy server would (type, props, urn, name, opts, isType, asType, getConfig,
 * notApplicable, stackTags) and collects what each policy reports. Never imports policy/index.ts.
 */
import type {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { RecordedResource } from "../infra/harness";

export interface Violation {
  policy: string;
  message: string;
  urn?: string;
}

export interface Outcome {
  violations: Violation[];
  /** True when the policy called notApplicable. */
  notApplicable: boolean;
}

class NotApplicable extends Error {}

const pulumiTypeOf = (resourceClass: unknown): string | undefined =>
  (resourceClass as { __pulumiType?: string }).__pulumiType;

const OPTS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: {},
} as never;

/** The policy's config: its schema defaults, overridden by `overrides`. */
function configOf(policy: ResourceValidationPolicy | StackValidationPolicy, overrides: object) {
  const defaults = Object.fromEntries(
    Object.entries(policy.configSchema?.properties ?? {}).map(([key, schema]) => [
      key,
      (schema as { default?: unknown }).default,
    ]),
  );
  return { ...defaults, ...overrides };
}

const typeChecks = (type: string, props: Record<string, unknown>) => ({
  isType: (resourceClass: unknown) => pulumiTypeOf(resourceClass) === type,
  asType: (resourceClass: unknown) => (pulumiTypeOf(resourceClass) === type ? props : undefined),
});

const notApplicable = (): never => {
  throw new NotApplicable();
};

export async function runResourcePolicy(
  policy: ResourceValidationPolicy,
  resource: Pick<RecordedResource, "type" | "name" | "urn" | "inputs">,
  config: object = {},
): Promise<Outcome> {
  const violations: Violation[] = [];
  const args = {
    type: resource.type,
    props: resource.inputs,
    urn: resource.urn,
    name: resource.name,
    opts: OPTS,
    stackTags: new Map<string, string>(),
    ...typeChecks(resource.type, resource.inputs),
    getConfig: () => configOf(policy, config),
    notApplicable,
  } as unknown as ResourceValidationArgs;
  const validations = [policy.validateResource ?? []].flat();
  let skipped = 0;
  for (const validate of validations) {
    try {
      await validate(args, (message) => violations.push({ policy: policy.name, message, urn: resource.urn }));
    } catch (error) {
      if (!(error instanceof NotApplicable)) throw error;
      skipped++;
    }
  }
  return { violations, notApplicable: validations.length > 0 && skipped === validations.length };
}

export async function runStackPolicy(
  policy: StackValidationPolicy,
  resources: Pick<RecordedResource, "type" | "name" | "urn" | "outputs">[],
  config: object = {},
): Promise<Outcome> {
  const violations: Violation[] = [];
  const policyResources: PolicyResource[] = resources.map(
    (r) =>
      ({
        type: r.type,
        props: r.outputs,
        urn: r.urn,
        name: r.name,
        opts: OPTS,
        dependencies: [],
        propertyDependencies: {},
        ...typeChecks(r.type, r.outputs),
      }) as unknown as PolicyResource,
  );
  const args = {
    resources: policyResources,
    stackTags: new Map<string, string>(),
    getConfig: () => configOf(policy, config),
    notApplicable,
  } as unknown as StackValidationArgs;
  try {
    await policy.validateStack(args, (message, urn) =>
      violations.push({ policy: policy.name, message, urn }),
    );
    return { violations, notApplicable: false };
  } catch (error) {
    if (!(error instanceof NotApplicable)) throw error;
    return { violations, notApplicable: true };
  }
}

/** Every resource policy over every resource, then every stack policy over the stack. */
export async function runPack(
  resourcePolicies: ResourceValidationPolicy[],
  stackPolicies: StackValidationPolicy[],
  resources: RecordedResource[],
): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const policy of resourcePolicies) {
    for (const resource of resources)
      violations.push(...(await runResourcePolicy(policy, resource)).violations);
  }
  for (const policy of stackPolicies)
    violations.push(...(await runStackPolicy(policy, resources)).violations);
  return violations;
}

/** A recorded-like resource for failing cases, with outputs equal to its inputs. */
export const fakeResource = (
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): RecordedResource => ({
  type,
  name,
  urn: `urn:pulumi:test::sms-campaigns::${type}::${name}`,
  inputs,
  outputs: inputs,
  secrets: [],
});
