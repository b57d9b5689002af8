import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/**
 * Tables holding personal data with a retention promise (replies, what we sent) expire items by
 * TTL; every table keeps point-in-time recovery.
 */
export const tablesHaveTtl: ResourceValidationPolicy = {
  name: "dynamodb-ttl-and-recovery",
  description: "Reply and message-log tables expire items by TTL; every table has point-in-time recovery.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      ttlRequiredTableNamePatterns: {
        type: "array",
        items: { type: "string" },
        default: ["responses", "message-log"],
      },
    },
  },
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, args, report) => {
    const { ttlRequiredTableNamePatterns } = args.getConfig<{ ttlRequiredTableNamePatterns: string[] }>();
    const name = table.name ?? args.name;
    const needsTtl = ttlRequiredTableNamePatterns.some((pattern) => name.includes(pattern));
    if (needsTtl && !(table.ttl?.enabled && table.ttl.attributeName)) {
      report(`table "${name}" holds data with a retention limit: enable TTL with an attribute name`);
    }
    if (!table.pointInTimeRecovery?.enabled) report(`table "${name}" must enable point-in-time recovery`);
  }),
};
