/**
 * The CrossGuard policy pack: `pulumi preview --policy-pack policy`. The only file that
 * constructs PolicyPack (which starts a gRPC server), so no test imports it.
 */
import { PolicyPack } from "@pulumi/policy";
import { RESOURCE_POLICIES, STACK_POLICIES } from "./rules";

new PolicyPack("sms-campaigns", {
  enforcementLevel: "mandatory",
  policies: [...RESOURCE_POLICIES, ...STACK_POLICIES],
});
