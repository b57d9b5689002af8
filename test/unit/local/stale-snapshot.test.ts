import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StaleSnapshot } from "../../../providers/local/chaos/stale-snapshot";

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "stale-snapshot-"));
  file = join(dir, "kinesis-data.json");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const exists = (path: string) =>
  readFile(path).then(
    () => true,
    () => false,
  );

describe("the snapshot a crashed kinesis-local restarts from", () => {
  it("is the one kept earlier, whatever the emulator wrote since", async () => {
    await writeFile(file, '{"streams":["older"]}');
    const snapshot = new StaleSnapshot(file);
    const before = Date.now();
    await snapshot.keep();
    expect(snapshot.keptAt).toBeGreaterThanOrEqual(before);
    await writeFile(file, '{"streams":["older","newer"]}');
    await snapshot.restore();
    expect(await readFile(file, "utf8")).toBe('{"streams":["older"]}');
  });

  it("is none when it was kept before the first snapshot was written", async () => {
    const snapshot = new StaleSnapshot(file);
    await snapshot.keep();
    expect(snapshot.armed).toBe(true);
    await writeFile(file, '{"streams":["newer"]}');
    await snapshot.restore();
    expect(await exists(file)).toBe(false);
  });

  it("waits for a snapshot caught half-written to be whole", async () => {
    await writeFile(file, '{"streams":["ol');
    const snapshot = new StaleSnapshot(file);
    const keeping = snapshot.keep();
    setTimeout(() => void writeFile(file, '{"streams":["older"]}'), 80);
    await keeping;
    await writeFile(file, "{}");
    await snapshot.restore();
    expect(await readFile(file, "utf8")).toBe('{"streams":["older"]}');
  });

  it("leaves the emulator's own snapshot alone when the crash was never armed", async () => {
    await writeFile(file, '{"streams":["newest"]}');
    const snapshot = new StaleSnapshot(file);
    expect(snapshot.armed).toBe(false);
    await snapshot.restore();
    expect(await readFile(file, "utf8")).toBe('{"streams":["newest"]}');
  });
});
