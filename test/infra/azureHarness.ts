/**
 * Pulumi mocks for the Azure stack: the shared recorder (./harness), answering as ARM would
 * (ids are resource paths, `name` is the type's own name input), plus the invoke the roles use.
 */
import * as pulumi from "@pulumi/pulumi";
import { type Recorder, recorder, resolveOutputs, settled, unwrapSecrets } from "./harness";

export const SUBSCRIPTION_ID = "00000000-1111-2222-3333-444444444444";

/** Like ARM: a resource's id is its path, its `name` the name input the resource type takes. */
// biome-ignore lint/suspicious/noExplicitAny: resolved Pulumi inputs are untyped JSON
const azureStateOf = (type: string, name: string, inputs: Record<string, any>) => {
  const resource = type.split(":")[2] ?? "";
  const ownKey = `${resource.charAt(0).toLowerCase()}${resource.slice(1)}Name`;
  const parents = [
    "resourceGroupName",
    "accountName",
    "namespaceName",
    "databaseName",
    "eventHubName",
    "systemTopicName",
  ];
  const nameKeys = Object.keys(inputs).filter((key) => key.endsWith("Name") && !parents.includes(key));
  const nameKey = ownKey in inputs ? ownKey : nameKeys[0];
  const physical = inputs.name ?? (nameKey ? inputs[nameKey] : `${name}-physical`);
  const id = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg/providers/${type}/${physical}`;
  return {
    ...inputs,
    name: physical,
    id,
    principalId: `${name}-principal`,
    clientId: `${name}-client`,
    identity: { principalId: `${name}-principal` },
    hostName: `${physical}.communication.azure.com`,
    connectionString:
      "InstrumentationKey=abc;IngestionEndpoint=https://westeurope.in.applicationinsights.azure.com/",
    location: inputs.location ?? "westeurope",
  };
};

/** The shared recorder, answering as Azure would. */
export const azureRecorder = (): Recorder => {
  const recorded = recorder();
  recorded.mocks.newResource = (args) => {
    const { value: inputs, secrets } = unwrapSecrets(args.inputs);
    const state = azureStateOf(args.type, args.name, inputs);
    recorded.resources.push({
      type: args.type,
      name: args.name,
      urn: `urn:pulumi:azure::sms-campaigns::${args.type}::${args.name}`,
      inputs,
      outputs: state,
      secrets,
    });
    return { id: state.id, state };
  };
  recorded.mocks.call = (args) =>
    args.token === "azure-native:authorization:getClientConfig"
      ? { subscriptionId: SUBSCRIPTION_ID, tenantId: "tenant", clientId: "deployer", objectId: "deployer" }
      : args.inputs;
  return recorded;
};

/** Deploys an `azure` stack through the real entry logic (stacks/program) under mocks, returning its outputs. */
export const deployAzureUnderMocks = async (recorded: Recorder, rawConfig: Record<string, unknown>) => {
  await pulumi.runtime.setMocks(recorded.mocks, "sms-campaigns", "azure", false);
  const { deployStack } = await import("../../stacks/program");
  const code = new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("export {}") });
  const stackOutputs = deployStack("azure", rawConfig, {
    awsCode: () => {
      throw new Error("an Azure stack must not build AWS code");
    },
    powertoolsVersion: "2.36.0",
    azureCode: () => ({ analytics: code, responses: code, archive: code, campaigns: code }),
  });
  const outputs = (await resolveOutputs(stackOutputs)) as Record<string, unknown>;
  await settled(recorded);
  return outputs;
};
