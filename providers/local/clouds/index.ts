/** Which cloud's stack a local run starts. */
import { startAwsCloud } from "./aws";
import { startAzureCloud } from "./azure";
import { startGcpCloud } from "./gcp";
import type { LocalCloudFactory, LocalCloudName } from "./local-cloud";

const FACTORIES: Partial<Record<LocalCloudName, LocalCloudFactory>> = {
  aws: startAwsCloud,
  azure: startAzureCloud,
  gcp: startGcpCloud,
};

export const startLocalCloud: LocalCloudFactory = (options, hooks) => {
  const start = FACTORIES[options.cloud];
  if (!start) throw new Error(`the local run of the ${options.cloud} stack is not available yet`);
  return start(options, hooks);
};
