/** Every rule of the pack, in one list the pack entry and the tests share. */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { alarmsPresent } from "./alarms";
import { AZURE_RESOURCE_POLICIES } from "./azure";
import { bucketsEncrypted, encryptionAtRest } from "./encryption";
import { eventSourceMappingFailureHandling } from "./eventSourceMappings";
import { GCP_RESOURCE_POLICIES, GCP_STACK_POLICIES } from "./gcp";
import { leastPrivilegeIam } from "./iam";
import { scheduleTargetsFailSafely } from "./schedules";
import { bucketsBlockPublicAccess, noPublicStorageSettings } from "./storage";
import { streamRetentionAndEncryption } from "./stream";
import { tablesHaveTtl } from "./tables";

export const RESOURCE_POLICIES: ResourceValidationPolicy[] = [
  streamRetentionAndEncryption,
  tablesHaveTtl,
  noPublicStorageSettings,
  encryptionAtRest,
  leastPrivilegeIam,
  eventSourceMappingFailureHandling,
  scheduleTargetsFailSafely,
  ...AZURE_RESOURCE_POLICIES,
  ...GCP_RESOURCE_POLICIES,
];

export const STACK_POLICIES: StackValidationPolicy[] = [
  bucketsBlockPublicAccess,
  bucketsEncrypted,
  alarmsPresent,
  ...GCP_STACK_POLICIES,
];
