import * as pulumi from "@pulumi/pulumi";
import { functionSourceFiles } from "../handlers/bundle";
import { FUNCTION_TARGETS, type GcpFunctionName } from "./environment";

/**
 * Every function's source as Pulumi archives: one bundle registering all targets, so the four
 * archives are the same files (zipped when uploaded to the source bucket).
 */
export const gcpFunctionCode = (): Record<GcpFunctionName, pulumi.asset.Archive> => {
  const files = functionSourceFiles();
  const archive = () =>
    new pulumi.asset.AssetArchive(
      Object.fromEntries(
        Object.entries(files).map(([path, text]) => [path, new pulumi.asset.StringAsset(text)]),
      ),
    );
  return Object.fromEntries(Object.keys(FUNCTION_TARGETS).map((id) => [id, archive()])) as unknown as Record<
    GcpFunctionName,
    pulumi.asset.Archive
  >;
};
