/** The GCP rules of the pack, registered in ./rules.ts. */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { gcpAlertsPresent } from "./gcpAlerts";
import { gcpFirestoreEncryptedWithRecovery, gcpFirestoreTtl } from "./gcpFirestore";
import { gcpIamScope } from "./gcpIam";
import { gcpSubscriptionsDeadLetter, gcpTopicsEncrypted } from "./gcpPubsub";
import { gcpScheduledFunctionsSingleInstance, gcpSchedulerJobsBounded } from "./gcpScheduler";
import { gcpBucketsPrivateAndEncrypted } from "./gcpStorage";

export const GCP_RESOURCE_POLICIES: ResourceValidationPolicy[] = [
  gcpBucketsPrivateAndEncrypted,
  gcpFirestoreEncryptedWithRecovery,
  gcpTopicsEncrypted,
  gcpIamScope,
  gcpSchedulerJobsBounded,
];

export const GCP_STACK_POLICIES: StackValidationPolicy[] = [
  gcpFirestoreTtl,
  gcpSubscriptionsDeadLetter,
  gcpAlertsPresent,
  gcpScheduledFunctionsSingleInstance,
];
