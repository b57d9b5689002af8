import type { Agent } from "node:https";
import { CosmosClient } from "@azure/cosmos";
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { BlobServiceClient } from "@azure/storage-blob";

export interface AzureStackConnection {
  /** Default: DefaultAzureCredential (az login, environment, managed identity). */
  credential?: TokenCredential;
  /** Local emulators only: a Cosmos key, and the agent that accepts cosmosdb-server's certificate. */
  cosmosKey?: string;
  cosmosAgent?: Agent;
  /** Local emulators only: Azurite's connection string instead of the blob endpoint + credential. */
  storageConnectionString?: string;
}

export interface AzureStackClients {
  cosmos(endpoint: string): CosmosClient;
  blobs(endpoint: string): BlobServiceClient;
  /** The operator's Entra ID credential, built on first use (Communication Services takes no key here). */
  credential(): TokenCredential;
}

/**
 * The operator's clients of a deployed stack, for smsctl: Entra ID through DefaultAzureCredential
 * (the stacks disable keys), built on first use and shared; or the emulators' key and connection
 * string when the connection names them.
 */
export function azureStackClientsOf(connection: AzureStackConnection): AzureStackClients {
  let credential = connection.credential;
  const credentialOnce = () => {
    credential ??= new DefaultAzureCredential();
    return credential;
  };
  return {
    cosmos: (endpoint) =>
      new CosmosClient({
        endpoint,
        ...(connection.cosmosKey ? { key: connection.cosmosKey } : { aadCredentials: credentialOnce() }),
        ...(connection.cosmosAgent ? { agent: connection.cosmosAgent } : {}),
      }),
    blobs: (endpoint) =>
      connection.storageConnectionString
        ? BlobServiceClient.fromConnectionString(connection.storageConnectionString)
        : new BlobServiceClient(endpoint, credentialOnce()),
    credential: credentialOnce,
  };
}
