import { describe, expect, it, vi } from "vitest";
import type { MetricDatum } from "../../../core/ports";
import { EmfMetricsSink, groupByDimensionsAndTime } from "../../../providers/aws/runtime/metrics-sink";
import { deduplicationIdOf, snsSubject } from "../../../providers/aws/runtime/notifier";
import { createTableInput, keyAttributesOf } from "../../../providers/aws/runtime/table-input";
import { RESPONSES_TABLE, TABLES } from "../../../providers/aws/runtime/tables";

const datum = (
  name: string,
  dimensions: Record<string, string>,
  timestamp = "2026-11-24T10:00:00.000Z",
): MetricDatum => ({
  name,
  value: 1,
  unit: "Count",
  dimensions,
  timestamp,
});

describe("SNS notifier helpers", () => {
  it("makes a subject SNS accepts: one line, printable ASCII, at most 100 characters", () => {
    const subject = snsSubject(`Reply matched\n“complaint” ${"x".repeat(200)}`);
    expect(subject).toMatch(/^[\x20-\x7e]{1,100}$/);
    expect(subject.startsWith("Reply matched ?complaint?")).toBe(true);
  });

  it("keeps a short deduplication id as is and hashes a long one to a stable value", () => {
    expect(deduplicationIdOf("evt-1:complaint")).toBe("evt-1:complaint");
    const long = `evt-${"9".repeat(200)}:complaint`;
    expect(deduplicationIdOf(long)).toMatch(/^[0-9a-f]{64}$/);
    expect(deduplicationIdOf(long)).toBe(deduplicationIdOf(long));
  });
});

describe("EMF metrics grouping", () => {
  it("puts datums with the same dimensions and minute in one group, whatever the key order", () => {
    const groups = groupByDimensionsAndTime([
      datum("Sent", { campaignId: "a", region: "x" }),
      datum("Delivered", { region: "x", campaignId: "a" }),
      datum("Sent", { campaignId: "b", region: "x" }),
      datum("Sent", { campaignId: "a", region: "x" }, "2026-11-24T10:01:00.000Z"),
    ]);
    expect(groups.map((g) => g.map((d) => d.name))).toEqual([["Sent", "Delivered"], ["Sent"], ["Sent"]]);
  });
});

describe("EMF metrics sink", () => {
  const emitted = async (sink: EmfMetricsSink, datums: MetricDatum[]) => {
    let output = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      output += String(chunk);
      return true;
    });
    try {
      await sink.emit(datums);
    } finally {
      spy.mockRestore();
    }
    return output
      .split("\n")
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line));
  };

  it("writes one blob per dimension set, with the datum's own timestamp and a stack-wide series", async () => {
    const blobs = await emitted(new EmfMetricsSink({ namespace: "UnitTest" }), [
      datum("Sent", { campaignId: "a" }, "2026-11-24T09:58:00.000Z"),
      datum("Delivered", { campaignId: "a" }, "2026-11-24T09:58:00.000Z"),
      datum("Sent", { campaignId: "b" }, "2026-11-24T09:59:00.000Z"),
    ]);
    expect(blobs).toHaveLength(2);
    expect(blobs[0]._aws.Timestamp).toBe(Date.parse("2026-11-24T09:58:00.000Z"));
    expect(blobs[0]._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: "UnitTest",
      Dimensions: [["campaignId"], []],
    });
    expect(blobs[0]).toMatchObject({ campaignId: "a", Sent: 1, Delivered: 1 });
    expect(blobs[1]).toMatchObject({ campaignId: "b", Sent: 1 });
    expect(blobs.every((blob) => !("service" in blob))).toBe(true);
  });

  it("leaves out the stack-wide series when asked to", async () => {
    const blobs = await emitted(new EmfMetricsSink({ namespace: "UnitTest", stackWideSeries: false }), [
      datum("Sent", { campaignId: "a" }),
    ]);
    expect(blobs[0]._aws.CloudWatchMetrics[0].Dimensions).toEqual([["campaignId"]]);
  });
});

describe("DynamoDB table design", () => {
  it("declares each key attribute once, with the GSIs' keys", () => {
    const names = keyAttributesOf(RESPONSES_TABLE).map((a) => a.name);
    expect(names).toEqual(["subscriber_id", "event_id", "campaign_id", "response_timestamp"]);
  });

  it("builds a CreateTable request for every table with its indexes and on-demand billing", () => {
    for (const design of Object.values(TABLES)) {
      const input = createTableInput(design, `t-${design.logicalName}`);
      expect(input.BillingMode).toBe("PAY_PER_REQUEST");
      expect(input.KeySchema?.[0]).toEqual({ AttributeName: design.hashKey.name, KeyType: "HASH" });
      expect(input.GlobalSecondaryIndexes?.map((i) => i.IndexName) ?? []).toEqual(
        design.globalIndexes.map((i) => i.name),
      );
    }
  });
});
