import * as gcp from "@pulumi/gcp";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";

/** Firestore databases use a CMEK key and keep point-in-time recovery. */
export const gcpFirestoreEncryptedWithRecovery: ResourceValidationPolicy = {
  name: "gcp-firestore-cmek-pitr",
  description: "Firestore databases are encrypted with a CMEK key and have point-in-time recovery enabled.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(gcp.firestore.Database, (database, args, report) => {
    const name = database.name ?? args.name;
    if (!database.cmekConfig?.kmsKeyName)
      report(`Firestore database "${name}" must set cmekConfig.kmsKeyName`);
    if (database.pointInTimeRecoveryEnablement !== "POINT_IN_TIME_RECOVERY_ENABLED")
      report(`Firestore database "${name}" must enable point-in-time recovery`);
  }),
};

/**
 * Collections holding personal data with a retention promise (replies, what we sent) expire
 * documents by a TTL policy: a stack with a Firestore database has a TTL field on each of them.
 */
export const gcpFirestoreTtl: StackValidationPolicy = {
  name: "gcp-firestore-ttl",
  description: "Reply and message-log collections have a Firestore TTL policy.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      ttlRequiredCollectionPatterns: {
        type: "array",
        items: { type: "string" },
        default: ["responses", "message-log"],
      },
    },
  },
  validateStack: (args, report) => {
    const { ttlRequiredCollectionPatterns } = args.getConfig<{ ttlRequiredCollectionPatterns: string[] }>();
    const databases = args.resources.filter((r) => r.isType(gcp.firestore.Database));
    if (databases.length === 0) args.notApplicable("no Firestore database in this stack");
    const ttlCollections = args.resources
      .filter((r) => r.isType(gcp.firestore.Field) && r.props.ttlConfig !== undefined && r.props.field)
      .map((r) => String(r.props.collection));
    for (const pattern of ttlRequiredCollectionPatterns) {
      if (!ttlCollections.some((collection) => collection.includes(pattern))) {
        report(`no Firestore TTL policy on a collection matching "${pattern}"`, databases[0].urn);
      }
    }
  },
};
