import type { ResourceValidationPolicy } from "@pulumi/policy";

/**
 * Cosmos DB: accounts are Entra-only with TLS 1.2; containers holding replies (the one-year
 * promise) expire items by a default TTL of at least the configured days.
 */
export const azureCosmosTtlAndAuth: ResourceValidationPolicy = {
  name: "azure-cosmos-ttl-and-auth",
  description:
    "Reply containers have a default TTL; Cosmos DB accounts disable local (key) auth and require TLS 1.2.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      ttlRequiredContainerPatterns: {
        type: "array",
        items: { type: "string" },
        default: ["responses", "message-log"],
      },
      minimumTtlDays: { type: "number", default: 1 },
    },
  },
  validateResource: (args, report) => {
    const props = args.props;
    if (args.type === "azure-native:cosmosdb:DatabaseAccount") {
      if (props.disableLocalAuth !== true) report("disableLocalAuth must be true (Entra ID only)");
      if (props.minimalTlsVersion !== "Tls12") report('minimalTlsVersion must be "Tls12"');
      return;
    }
    if (args.type === "azure-native:cosmosdb:SqlResourceSqlContainer") {
      const { ttlRequiredContainerPatterns, minimumTtlDays } = args.getConfig<{
        ttlRequiredContainerPatterns: string[];
        minimumTtlDays: number;
      }>();
      const name: string = props.resource?.id ?? props.containerName ?? args.name;
      if (!ttlRequiredContainerPatterns.some((pattern) => name.includes(pattern))) return;
      const ttl = props.resource?.defaultTtl;
      if (typeof ttl !== "number" || ttl < minimumTtlDays * 86_400) {
        report(`container "${name}" holds data with a retention limit: set resource.defaultTtl (seconds)`);
      }
      return;
    }
    args.notApplicable("not a Cosmos DB account or container");
  },
};
