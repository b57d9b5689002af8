import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";

/**
 * Built-in role definition ids (the same in every tenant). Every assignment in this stack uses one
 * of these at the narrowest scope that works: a hub, a queue, a topic, a container, a component.
 */
export const BUILT_IN_ROLE = {
  eventHubsDataReceiver: "a638d3c7-ab3a-418d-83e6-5f17a39d4fde",
  eventHubsDataSender: "2b629674-e913-4c01-ae53-ef4638d8f975",
  serviceBusDataSender: "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
  serviceBusDataReceiver: "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
  storageBlobDataReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  storageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  storageQueueDataContributor: "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  storageTableDataContributor: "0a9a7e1f-b9d0-4cc4-a60d-0319b160ff3c",
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
  /** Communication Services has no narrower data-plane role for sending SMS; scoped to the one resource. */
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
} as const;
export type BuiltInRole = keyof typeof BUILT_IN_ROLE;

/** The Cosmos DB built-in data-plane role "Cosmos DB Built-in Data Contributor". */
export const COSMOS_DATA_CONTRIBUTOR = "00000000-0000-0000-0000-000000000002";
/** The Cosmos DB built-in data-plane role "Cosmos DB Built-in Data Reader". */
export const COSMOS_DATA_READER = "00000000-0000-0000-0000-000000000001";

/**
 * Data actions of the append-only Cosmos role (DataStore.grantAppendOnly): read metadata, create,
 * read and query items. Deliberately without items/replace, items/upsert and items/delete.
 */
export const COSMOS_APPEND_ONLY_DATA_ACTIONS = [
  "Microsoft.DocumentDB/databaseAccounts/readMetadata",
  "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/items/create",
  "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/items/read",
  "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/executeQuery",
] as const;

/** `/subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<guid>` for a built-in role. */
export const roleDefinitionIdOf = (
  subscriptionId: pulumi.Input<string>,
  role: BuiltInRole,
): pulumi.Output<string> =>
  pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLE[role]}`;

export interface Grant {
  role: BuiltInRole;
  /** A resource id: never a subscription or resource group. */
  scope: pulumi.Input<string>;
}

/** One role assignment per grant, for a service principal, named `<name>-<role>-<index>`. */
export const assignRoles = (
  name: string,
  principalId: pulumi.Input<string>,
  grants: Grant[],
  parent: pulumi.Resource,
): authorization.RoleAssignment[] => {
  const { subscriptionId } = authorization.getClientConfigOutput({ parent });
  return grants.map(
    (grant, index) =>
      new authorization.RoleAssignment(
        `${name}-${grant.role}-${index}`,
        {
          principalId,
          principalType: "ServicePrincipal",
          roleDefinitionId: roleDefinitionIdOf(subscriptionId, grant.role),
          scope: grant.scope,
        },
        { parent },
      ),
  );
};
