import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  BUNDLE_BUDGET_BYTES,
  bundleHandlerSync,
  HANDLER_NAMES,
  writeHandlerBundle,
} from "../../../providers/aws/handlers/bundle";
import { STREAM_HANDLER_NAMES } from "../../../providers/aws/infra/functionNames";
import { kinesisEvent, kinesisRecord, smsEvent } from "./kinesis-events";

// Under the repository, so the bundles' @aws-sdk/* and Powertools imports resolve as the Lambda
// runtime and the Powertools layer resolve them.
const outDir = mkdtempSync(join(process.cwd(), "node_modules", ".cache-aws-bundle-test-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const importedSpecifiers = (code: string) => [
  ...[...code.matchAll(/(?:^|[;}\s])import\s*(?:[\w$*{}\s,]*?from\s*)?"([^"]+)"/g)].map((m) => m[1]),
  ...[...code.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]),
];
const requiredSpecifiers = (code: string) =>
  [...code.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]);

/** Runs a script in a fresh Node process (the Lambda situation: nothing loaded yet). */
const runNode = (script: string, env: Record<string, string>) =>
  spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    env: { PATH: process.env["PATH"] ?? "", ...env },
    timeout: 60_000,
  });

describe.each(HANDLER_NAMES)("%s handler bundle", (name) => {
  const { code, bytes } = bundleHandlerSync(name);

  it("imports nothing but Node built-ins, the runtime's AWS SDK and the Powertools layer's packages", () => {
    const outside = [...importedSpecifiers(code), ...requiredSpecifiers(code)].filter(
      (s) => !builtins.has(s) && !s.startsWith("@aws-sdk/") && !s.startsWith("@aws-lambda-powertools/"),
    );
    expect(outside).toEqual([]);
    expect(importedSpecifiers(code).some((s) => s.startsWith("@aws-sdk/"))).toBe(true);
    // The stream consumers report partial batch failures through Powertools' batch processor.
    if ((STREAM_HANDLER_NAMES as readonly string[]).includes(name)) {
      expect(importedSpecifiers(code)).toContain("@aws-lambda-powertools/batch");
    }
  });

  it("loads the runtime's packages and built-ins at first invocation, not at import (cold start)", () => {
    const staticImports = [...code.matchAll(/(?:^|[;}\s])import\s*(?:[\w$*{}\s,]*?from\s*)?"([^"]+)"/g)].map(
      (m) => m[1],
    );
    // Only the banner's createRequire, for bundled CommonJS code.
    expect(staticImports).toEqual(["node:module"]);
  });

  it("stays within the 300 KB budget", () => {
    expect(bytes).toBeGreaterThan(10_000);
    expect(bytes).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
  });

  it("loads in a fresh Node process and exports handler, without any environment", () => {
    const file = writeHandlerBundle(name, outDir);
    const result = runNode(
      `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(typeof m.handler);`,
      {},
    );
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("function");
  });
});

describe("bundled analytics handler", () => {
  it("answers a Kinesis event with no failures and writes the campaign metrics as EMF", () => {
    const file = writeHandlerBundle("analytics", outDir);
    const event = kinesisEvent([
      kinesisRecord(
        smsEvent({
          kind: "sent",
          campaignId: "bundle-cmp",
          messageId: "m-1",
          occurredAt: new Date().toISOString(),
        }),
      ),
    ]);
    const result = runNode(
      // A stub DynamoDB in the same process answers the sweep of parked receipts: none parked.
      `import { createServer } from "node:http";
       const targets = [];
       const dynamodb = createServer((request, response) => {
         targets.push(request.headers["x-amz-target"]);
         request.resume();
         response.setHeader("content-type", "application/x-amz-json-1.0");
         response.end('{"Items":[],"Count":0}');
       });
       await new Promise((resolve) => dynamodb.listen(0, "127.0.0.1", resolve));
       process.env.AWS_ENDPOINT_URL_DYNAMODB = "http://127.0.0.1:" + dynamodb.address().port;
       const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});
       const response = await handler(${JSON.stringify(event)});
       console.log("RESPONSE " + JSON.stringify(response));
       console.log("DYNAMODB " + JSON.stringify(targets));
       dynamodb.close();`,
      {
        DLQ_URL: "http://127.0.0.1:9/000000000000/unused",
        MESSAGE_LOG_TABLE: "unused",
        PENDING_RECEIPTS_TABLE: "parked",
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_REGION: "us-east-1",
        LOG_LEVEL: "ERROR",
        POWERTOOLS_METRICS_NAMESPACE: "BundleTest",
      },
    );
    expect(result.stdout).toContain('RESPONSE {"batchItemFailures":[]}');
    expect(result.stdout).toContain('DYNAMODB ["DynamoDB_20120810.Query"]');
    const emf = result.stdout
      .split("\n")
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(emf.some((blob) => blob["campaignId"] === "bundle-cmp" && blob["Sent"] === 1)).toBe(true);
  });
});
