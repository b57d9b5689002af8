import { SmsClient } from "@azure/communication-sms";
import { type Container, CosmosClient } from "@azure/cosmos";
import { EventHubProducerClient } from "@azure/event-hubs";
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { ServiceBusClient } from "@azure/service-bus";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { type CommonEnv, ENV } from "./settings";

/**
 * SDK clients built from validated settings. Each uses its local override (a key or connection
 * string, for Azurite and the emulators) when set, else the function's managed identity through
 * DefaultAzureCredential (AZURE_CLIENT_ID picks the user-assigned identity).
 */
export const credentialOf = (env: CommonEnv): TokenCredential =>
  new DefaultAzureCredential(
    env[ENV.managedIdentityClientId] ? { managedIdentityClientId: env[ENV.managedIdentityClientId] } : {},
  );

export const serviceBusClientOf = (env: CommonEnv, credential: () => TokenCredential): ServiceBusClient =>
  env.SERVICE_BUS_CONNECTION_STRING
    ? new ServiceBusClient(env.SERVICE_BUS_CONNECTION_STRING)
    : new ServiceBusClient(env[ENV.serviceBusNamespace], credential());

export const cosmosContainerOf = (
  env: CommonEnv & { [ENV.cosmosEndpoint]: string; [ENV.cosmosDatabase]: string },
  credential: () => TokenCredential,
): ((container: string) => Container) => {
  const client = env.COSMOS_KEY
    ? new CosmosClient({ endpoint: env[ENV.cosmosEndpoint], key: env.COSMOS_KEY })
    : new CosmosClient({ endpoint: env[ENV.cosmosEndpoint], aadCredentials: credential() });
  const database = client.database(env[ENV.cosmosDatabase]);
  return (container) => database.container(container);
};

/** A blob container on `endpoint` (or on STORAGE_CONNECTION_STRING's account, for Azurite). */
export const blobContainerOf = (
  env: CommonEnv,
  endpoint: string,
  container: string,
  credential: () => TokenCredential,
): ContainerClient => {
  const service = env.STORAGE_CONNECTION_STRING
    ? BlobServiceClient.fromConnectionString(env.STORAGE_CONNECTION_STRING)
    : new BlobServiceClient(endpoint, credential());
  return service.getContainerClient(container);
};

export const archiveContainerOf = (
  env: CommonEnv & { [ENV.archiveBlobEndpoint]: string; [ENV.archiveContainer]: string },
  credential: () => TokenCredential,
): ContainerClient =>
  blobContainerOf(env, env[ENV.archiveBlobEndpoint], env[ENV.archiveContainer], credential);

export const eventHubProducerOf = (
  env: CommonEnv & { [ENV.eventHubsNamespace]: string; [ENV.eventHubName]: string },
  credential: () => TokenCredential,
): EventHubProducerClient =>
  env.EVENT_HUBS_CONNECTION_STRING
    ? new EventHubProducerClient(env.EVENT_HUBS_CONNECTION_STRING, env[ENV.eventHubName])
    : new EventHubProducerClient(env[ENV.eventHubsNamespace], env[ENV.eventHubName], credential());

export const smsClientOf = (endpoint: string, credential: () => TokenCredential): SmsClient =>
  new SmsClient(endpoint, credential());

/** A credential built on first use and then shared, so a run with only local overrides never builds one. */
export const lazyCredential = (env: CommonEnv): (() => TokenCredential) => {
  let credential: TokenCredential | undefined;
  return () => {
    credential ??= credentialOf(env);
    return credential;
  };
};
