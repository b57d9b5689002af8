import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:net";
import { pathToFileURL } from "node:url";
import { DescribeTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { DescribeStreamSummaryCommand } from "@aws-sdk/client-kinesis";
import { afterEach, describe, expect, it } from "vitest";
import { TABLES } from "../../../providers/aws/runtime/tables";
import { EmulatorError, javaAvailable, startEmulators } from "../../../providers/local/emulators";
import { ensureStream, ensureTables } from "../../../providers/local/emulators/provision";
import { uniqueName, useAwsEmulators } from "../../emulators/aws";

const hasJava = javaAvailable();

const occupy = (): Promise<{ server: Server; port: number }> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, port: typeof address === "object" && address ? address.port : 0 });
    });
  });

describe("emulator launcher", () => {
  let held: Server | undefined;
  afterEach(() => held?.close());

  it("refuses a taken port with an error naming the emulator and the port", async () => {
    const { server, port } = await occupy();
    held = server;
    const start = startEmulators({ kinesis: false, dynamodb: false, fauxqs: true, ports: { fauxqs: port } });
    await expect(start).rejects.toBeInstanceOf(EmulatorError);
    await expect(start).rejects.toThrow(`fauxqs: port ${port} on 127.0.0.1 is already in use`);
  });

  it("stops the emulator's process group, so its endpoint stops answering, and a second stop is harmless", async () => {
    const running = await startEmulators({ kinesis: false, dynamodb: false, fauxqs: true });
    const health = `${running.endpoints.s3}/health`;
    expect((await fetch(health)).ok).toBe(true);
    await running.stop();
    await expect(fetch(health)).rejects.toThrow();
    await expect(running.stop()).resolves.toBeUndefined();
  });

  it("starts no DynamoDB where Java is missing, and says why instead of failing", () => {
    const launcher = pathToFileURL(`${process.cwd()}/providers/local/emulators/index.ts`).href;
    const script = `const { startEmulators } = await import(${JSON.stringify(launcher)});
      const running = await startEmulators({ kinesis: false, fauxqs: false, dynamodb: true });
      console.log(JSON.stringify({ engine: running.dynamodbEngine, reason: running.dynamodbUnavailableReason }));
      await running.stop();`;
    const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      env: { ...process.env, JAVA_HOME: "/nonexistent-java-home" },
      timeout: 60_000,
    });
    const report = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}");
    expect(report.engine).toBe("none");
    expect(report.reason).toMatch(/Java is not installed/);
  });

  it("reports which DynamoDB it started", async () => {
    const running = await startEmulators({ kinesis: false, fauxqs: false, dynamodb: true });
    try {
      expect(running.dynamodbEngine).toBe(hasJava ? "dynamodb-local" : "none");
      expect(running.endpoints.dynamodb !== undefined).toBe(hasJava);
    } finally {
      await running.stop();
    }
  });
});

describe("emulators with the deployed settings", () => {
  const fixture = useAwsEmulators({ kinesis: true, fauxqs: false, dynamodb: hasJava });

  it("kinesis-local keeps the deployed 8760-hour (365-day) retention", async () => {
    const streamName = uniqueName("retention");
    await ensureStream(fixture.clients().kinesis, streamName);
    const { StreamDescriptionSummary } = await fixture
      .clients()
      .kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    expect(StreamDescriptionSummary?.RetentionPeriodHours).toBe(8760);
  });

  it.skipIf(!hasJava)(
    "DynamoDB Local tables get the TTL attribute of the design (skipped without Java)",
    async () => {
      const tableName = uniqueName("ttl");
      await ensureTables(fixture.clients().dynamodb, { responses: tableName });
      const { TimeToLiveDescription } = await fixture
        .clients()
        .dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
      expect(TimeToLiveDescription?.AttributeName).toBe(TABLES.responses.ttlAttribute);
      expect(TimeToLiveDescription?.TimeToLiveStatus).toBe("ENABLED");
    },
  );
});
