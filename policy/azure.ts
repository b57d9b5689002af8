/** The Azure stack's rules, registered in ./rules with one line. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { azureCosmosTtlAndAuth } from "./azureCosmos";
import { azureDeliveryBoundedAndDeadLettered } from "./azureDelivery";
import { azureEventHubsSettings } from "./azureEventHubs";
import { azureRoleAssignmentScope } from "./azureRoles";
import { azureStoragePrivateAndEncrypted } from "./azureStorage";

export const AZURE_RESOURCE_POLICIES: ResourceValidationPolicy[] = [
  azureStoragePrivateAndEncrypted,
  azureCosmosTtlAndAuth,
  azureEventHubsSettings,
  azureRoleAssignmentScope,
  azureDeliveryBoundedAndDeadLettered,
];
