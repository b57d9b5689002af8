/**
 * Pulumi mocks for the GCP stack: the AWS harness's recorder (every resource, its resolved inputs)
 * with the outputs Google would compute (ids, emails, members, URLs) and answers for the
 * project invokes, plus one helper that deploys the GCP pipeline from raw stack config.
 */
import * as pulumi from "@pulumi/pulumi";
import { FUNCTION_TARGETS, type GcpFunctionName } from "../../providers/gcp/infra/environment";
import { deployStack, type GcpStackOutputs } from "../../stacks/program";
import { type Recorder, recorder } from "./harness";

export const PROJECT = "sms-test-project";
export const PROJECT_NUMBER = "123456789";
export const REGION = "europe-west1";

// biome-ignore lint/suspicious/noExplicitAny: mock state is untyped JSON
const gcpOutputsOf = (type: string, name: string, inputs: Record<string, any>): Record<string, any> => {
  const physical = inputs.name ?? `${name}-physical`;
  switch (type) {
    case "gcp:pubsub/topic:Topic":
      return { ...inputs, name: physical, id: `projects/${PROJECT}/topics/${physical}` };
    case "gcp:pubsub/subscription:Subscription":
      return { ...inputs, name: physical, id: `projects/${PROJECT}/subscriptions/${physical}` };
    case "gcp:serviceaccount/account:Account": {
      const email = `${inputs.accountId}@${PROJECT}.iam.gserviceaccount.com`;
      return {
        ...inputs,
        email,
        member: `serviceAccount:${email}`,
        name: `projects/${PROJECT}/serviceAccounts/${email}`,
      };
    }
    case "gcp:kms/keyRing:KeyRing":
      return { ...inputs, id: `projects/${PROJECT}/locations/${inputs.location}/keyRings/${physical}` };
    case "gcp:kms/cryptoKey:CryptoKey":
      return { ...inputs, id: `${inputs.keyRing}/cryptoKeys/${physical}` };
    case "gcp:cloudfunctionsv2/function:Function":
      return { ...inputs, url: `https://${physical}-abc123-ew.a.run.app` };
    case "gcp:secretmanager/secret:Secret":
      return {
        ...inputs,
        id: `projects/${PROJECT}/secrets/${inputs.secretId}`,
        name: `projects/${PROJECT_NUMBER}/secrets/${inputs.secretId}`,
      };
    case "gcp:storage/bucketObject:BucketObject":
      return { ...inputs, generation: 1 };
    default:
      return { ...inputs, name: physical };
  }
};

/** A recorder whose resources carry GCP-shaped outputs. */
export function gcpRecorder(): Recorder {
  const recorded = recorder();
  const base = recorded.mocks;
  recorded.mocks = {
    newResource(args) {
      base.newResource(args);
      const entry = recorded.resources[recorded.resources.length - 1];
      const outputs = gcpOutputsOf(args.type, args.name, entry.inputs);
      entry.outputs = outputs;
      return { id: outputs.id ?? `${args.name}-id`, state: outputs };
    },
    call(args) {
      switch (args.token) {
        case "gcp:organizations/getClientConfig:getClientConfig":
          return { project: PROJECT, region: REGION, zone: `${REGION}-b`, id: PROJECT, accessToken: "token" };
        case "gcp:organizations/getProject:getProject":
          return { projectId: PROJECT, number: PROJECT_NUMBER, name: PROJECT, id: `projects/${PROJECT}` };
        default:
          return base.call(args);
      }
    },
  };
  return recorded;
}

const placeholderCode = () =>
  Object.fromEntries(
    Object.entries(FUNCTION_TARGETS).map(([id, target]) => [
      id,
      new pulumi.asset.AssetArchive({
        "index.js": new pulumi.asset.StringAsset(`exports.${target} = () => {};`),
        "package.json": new pulumi.asset.StringAsset('{"main":"index.js"}'),
      }),
    ]),
  ) as unknown as Record<GcpFunctionName, pulumi.asset.Archive>;

/** Deploys a `gcp` stack through the real entry logic (stacks/program), returning its outputs. */
export const deployGcpPipeline = (rawConfig: Record<string, unknown>) =>
  deployStack("gcp", rawConfig, {
    awsCode: () => {
      throw new Error("a GCP stack must not build AWS code");
    },
    powertoolsVersion: "2.36.0",
    gcpCode: placeholderCode,
    gcpRegion: () => REGION,
  }) as GcpStackOutputs;
