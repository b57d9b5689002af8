/**
 * The Pulumi entry (Pulumi.yaml `main`). The stack name picks the cloud (`aws`, `azure`, `gcp`,
 * optionally suffixed `-<env>`); the whole `sms-campaigns:` config namespace is validated
 * before any resource exists. The deployment itself lives in ./program.
 */
import * as pulumi from "@pulumi/pulumi";
import { rawConfigFromPulumi } from "../core/config";
import { bundleHandlerSync, POWERTOOLS_VERSION } from "../providers/aws/handlers/bundle";
import { HANDLER_NAMES, type HandlerName } from "../providers/aws/infra";
import { azureFunctionArchive } from "../providers/azure/infra/functionCode";
import { gcpFunctionCode } from "../providers/gcp/infra/functionCode";
import { deployStack } from "./program";

/** One function's code: the esbuild bundle as `index.mjs` (handler `index.handler`). */
const lambdaArchive = (name: HandlerName) =>
  new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.StringAsset(bundleHandlerSync(name).code) });

/** Stack outputs: the default export, whose shape is the chosen cloud's (see ./program). */
export default deployStack(pulumi.getStack(), rawConfigFromPulumi(pulumi.runtime.allConfig()), {
  awsCode: () =>
    Object.fromEntries(HANDLER_NAMES.map((name) => [name, lambdaArchive(name)])) as Record<
      HandlerName,
      pulumi.asset.AssetArchive
    >,
  powertoolsVersion: POWERTOOLS_VERSION,
  azureCode: () => ({
    analytics: azureFunctionArchive("analytics"),
    responses: azureFunctionArchive("responses"),
    archive: azureFunctionArchive("archive"),
    campaigns: azureFunctionArchive("campaigns"),
  }),
  gcpCode: gcpFunctionCode,
  gcpRegion: () => new pulumi.Config("gcp").require("region"),
});
