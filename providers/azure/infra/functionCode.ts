import * as pulumi from "@pulumi/pulumi";
import { functionPackageFiles } from "../handlers/bundle";
import type { AppName } from "./handlerNames";

/** One consumer's deployment package as a Pulumi archive (zipped when uploaded as the package blob). */
export const azureFunctionArchive = (name: AppName): pulumi.asset.AssetArchive =>
  new pulumi.asset.AssetArchive(
    Object.fromEntries(
      Object.entries(functionPackageFiles(name)).map(([path, text]) => [
        path,
        new pulumi.asset.StringAsset(text),
      ]),
    ),
  );
