import { createServer, type Server } from "node:net";
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
