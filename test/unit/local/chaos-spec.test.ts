import { describe, expect, it } from "vitest";
import { chaosMismatch, parseChaosSpec } from "../../../providers/local/chaos/chaos-spec";
import { LocalRunOptionsSchema } from "../../../providers/local/run/options";

describe("the --chaos spec", () => {
  it("reads throttling, and an emulator to kill by name with its down time", () => {
    expect(parseChaosSpec("throttle=0.2")).toEqual({ throttle: 0.2, down: 3 });
    expect(parseChaosSpec("kill=kinesis,down=2")).toEqual({ throttle: 0, kill: "kinesis", down: 2 });
    expect(parseChaosSpec("kill=pubsub")).toEqual({ throttle: 0, kill: "pubsub", down: 3 });
    expect(parseChaosSpec(" kill=dynamodb , throttle=0.1 ")).toEqual({
      throttle: 0.1,
      kill: "dynamodb",
      down: 3,
    });
  });

  it("names the bad part in one line", () => {
    expect(() => parseChaosSpec("kill=redis")).toThrow(
      /^--chaos: kill: takes dynamodb or kinesis or pubsub \(/,
    );
    expect(() => parseChaosSpec("throttle=lots")).toThrow('--chaos: "throttle=lots" is not key=number');
    expect(() => parseChaosSpec("kill=")).toThrow('--chaos: "kill=" is not key=value');
    expect(() => parseChaosSpec("down=2=3")).toThrow('"down=2=3" is not key=value');
    expect(() => parseChaosSpec("explode=1")).toThrow(/^--chaos: .*explode/);
    for (const spec of ["kill=redis", "throttle=lots", "kill=", "explode=1"]) {
      expect(() => parseChaosSpec(spec)).not.toThrow(/\n/);
    }
  });

  it("kills only an emulator of the cloud that runs, and throttles only AWS", () => {
    expect(chaosMismatch(parseChaosSpec("kill=kinesis"), "aws")).toBeUndefined();
    expect(chaosMismatch(parseChaosSpec("kill=dynamodb,throttle=0.2"), "aws")).toBeUndefined();
    expect(chaosMismatch(parseChaosSpec("kill=pubsub"), "gcp")).toBeUndefined();
    expect(chaosMismatch(parseChaosSpec("kill=kinesis"), "gcp")).toBe(
      "--chaos kill=kinesis crashes an emulator of the aws run: run it with --cloud aws (--cloud gcp takes kill=pubsub)",
    );
    expect(chaosMismatch(parseChaosSpec("kill=pubsub"), "aws")).toBe(
      "--chaos kill=pubsub crashes an emulator of the gcp run: run it with --cloud gcp (--cloud aws takes kill=dynamodb or kill=kinesis)",
    );
    expect(chaosMismatch(parseChaosSpec("throttle=0.2"), "azure")).toMatch(/run it with --cloud aws$/);
    expect(chaosMismatch(parseChaosSpec(""), "gcp")).toBeUndefined();
  });

  it("makes the local run's options refuse a kill the cloud does not have", () => {
    const result = LocalRunOptionsSchema.safeParse({ cloud: "azure", chaos: parseChaosSpec("kill=kinesis") });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/^--chaos kill=kinesis .* --cloud aws$/);
    expect(LocalRunOptionsSchema.safeParse({ chaos: parseChaosSpec("kill=kinesis") }).success).toBe(true);
  });
});
