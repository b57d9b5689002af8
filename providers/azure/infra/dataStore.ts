import { createHash } from "node:crypto";
import * as cosmosdb from "@pulumi/azure-native/cosmosdb";
import * as pulumi from "@pulumi/pulumi";
import { CONTAINERS, type ContainerId, TTL_CONTAINERS, uniqueKeysOf } from "../runtime/containers";
import { COSMOS_APPEND_ONLY_DATA_ACTIONS, COSMOS_DATA_CONTRIBUTOR, COSMOS_DATA_READER } from "./roles";

export const DATA_STORE_TYPE = "sms:azure:DataStore";

export { CONTAINERS, type ContainerId };

export interface DataStoreArgs {
  resourceGroupName: pulumi.Input<string>;
  location: pulumi.Input<string>;
  accountName: pulumi.Input<string>;
  databaseName: pulumi.Input<string>;
  containerNames: Record<ContainerId, string>;
  /** Default time to live of replies and the message log (Cosmos `defaultTtl`, seconds). */
  responseTtlSeconds: number;
}

/**
 * Cosmos DB for NoSQL, serverless: one database and a container per store. Entra ID only (local
 * auth off), TLS 1.2, no key-based metadata writes. Replies and the message log expire through
 * their containers' default TTL; the other containers have TTL on without a default.
 */
export class DataStore extends pulumi.ComponentResource {
  public readonly account: cosmosdb.DatabaseAccount;
  public readonly database: cosmosdb.SqlResourceSqlDatabase;
  public readonly containers: Record<ContainerId, cosmosdb.SqlResourceSqlContainer>;
  public readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: DataStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DATA_STORE_TYPE, name, {}, opts);
    const child = { parent: this };
    this.account = new cosmosdb.DatabaseAccount(
      `${name}-account`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: args.accountName,
        location: args.location,
        kind: "GlobalDocumentDB",
        databaseAccountOfferType: "Standard",
        capabilities: [{ name: "EnableServerless" }],
        locations: [{ locationName: args.location, failoverPriority: 0, isZoneRedundant: false }],
        consistencyPolicy: { defaultConsistencyLevel: "Session" },
        disableLocalAuth: true,
        disableKeyBasedMetadataWriteAccess: true,
        minimalTlsVersion: "Tls12",
        backupPolicy: { type: "Continuous", continuousModeProperties: { tier: "Continuous7Days" } },
      },
      child,
    );
    this.database = new cosmosdb.SqlResourceSqlDatabase(
      `${name}-database`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: this.account.name,
        databaseName: args.databaseName,
        resource: { id: args.databaseName },
      },
      child,
    );
    const container = (id: ContainerId) =>
      new cosmosdb.SqlResourceSqlContainer(
        `${name}-${id}`,
        {
          resourceGroupName: args.resourceGroupName,
          accountName: this.account.name,
          databaseName: this.database.name,
          containerName: args.containerNames[id],
          resource: {
            id: args.containerNames[id],
            partitionKey: { paths: [CONTAINERS[id].partitionKey], kind: "Hash", version: 2 },
            defaultTtl: TTL_CONTAINERS.includes(id) ? args.responseTtlSeconds : -1,
            indexingPolicy: { indexingMode: "consistent", automatic: true },
            ...(uniqueKeysOf(id).length > 0
              ? { uniqueKeyPolicy: { uniqueKeys: uniqueKeysOf(id).map((path) => ({ paths: [path] })) } }
              : {}),
          },
        },
        child,
      );
    this.containers = {
      responses: container("responses"),
      optOuts: container("optOuts"),
      ledger: container("ledger"),
      journeys: container("journeys"),
      messages: container("messages"),
      subscribers: container("subscribers"),
      campaigns: container("campaigns"),
      pendingReceipts: container("pendingReceipts"),
      optOutReviews: container("optOutReviews"),
      revocations: container("revocations"),
      consentLog: container("consentLog"),
    };
    this.endpoint = pulumi.interpolate`https://${this.account.name}.documents.azure.com:443/`;
    this.registerOutputs({ endpoint: this.endpoint });
  }

  /**
   * Create and read, never replace, upsert or delete: a custom data-plane role assignable only on
   * this container, for an append-only log (the consent evidence). Cosmos has no built-in role
   * that narrow. The role's id is a GUID derived from the account and container, so it is stable.
   */
  grantAppendOnly(
    name: string,
    principalId: pulumi.Input<string>,
    id: ContainerId,
    resourceGroupName: pulumi.Input<string>,
  ): cosmosdb.SqlResourceSqlRoleAssignment {
    const scope = pulumi.interpolate`${this.account.id}/dbs/${this.database.name}/colls/${this.containers[id].name}`;
    const role = new cosmosdb.SqlResourceSqlRoleDefinition(
      `${name}-cosmos-${id}-append-only`,
      {
        resourceGroupName,
        accountName: this.account.name,
        roleDefinitionId: pulumi
          .all([this.account.name, this.containers[id].name])
          .apply(([account, container]) => guidOf(`${account}/${container}/append-only`)),
        roleName: pulumi.interpolate`${this.containers[id].name}-append-only`,
        type: "CustomRole",
        assignableScopes: [scope],
        permissions: [{ dataActions: [...COSMOS_APPEND_ONLY_DATA_ACTIONS] }],
      },
      { parent: this },
    );
    return new cosmosdb.SqlResourceSqlRoleAssignment(
      `${name}-cosmos-${id}`,
      {
        resourceGroupName,
        accountName: this.account.name,
        principalId,
        roleDefinitionId: role.id,
        scope,
      },
      { parent: this },
    );
  }

  /** Cosmos data-plane access (Built-in Data Contributor) to exactly these containers. */
  grantContainers(
    name: string,
    principalId: pulumi.Input<string>,
    ids: ContainerId[],
    resourceGroupName: pulumi.Input<string>,
    access: "read" | "write" = "write",
  ): cosmosdb.SqlResourceSqlRoleAssignment[] {
    const role = access === "read" ? COSMOS_DATA_READER : COSMOS_DATA_CONTRIBUTOR;
    return ids.map(
      (id) =>
        new cosmosdb.SqlResourceSqlRoleAssignment(
          `${name}-cosmos-${id}`,
          {
            resourceGroupName,
            accountName: this.account.name,
            principalId,
            roleDefinitionId: pulumi.interpolate`${this.account.id}/sqlRoleDefinitions/${role}`,
            scope: pulumi.interpolate`${this.account.id}/dbs/${this.database.name}/colls/${this.containers[id].name}`,
          },
          { parent: this },
        ),
    );
  }
}

/** A GUID (RFC 4122 layout, version 5 style) derived from a name, so a definition keeps its id. */
const guidOf = (name: string): string => {
  const hex = createHash("sha1").update(name).digest("hex");
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
