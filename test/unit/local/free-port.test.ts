import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ephemeralPortRange, freePort, LOOPBACK } from "../../../providers/local/emulators/ports";

const servers: Server[] = [];
const hold = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const server = createServer();
    servers.push(server);
    server.once("error", reject);
    server.listen(port, LOOPBACK, () => resolve());
  });

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe("freePort", () => {
  it("reads the kernel's ephemeral range, and falls back to Linux's default on nonsense", () => {
    expect(ephemeralPortRange("20000\t40000\n")).toEqual({ low: 20000, high: 40000 });
    expect(ephemeralPortRange(undefined)).toEqual({ low: 32768, high: 60999 });
    expect(ephemeralPortRange("garbage")).toEqual({ low: 32768, high: 60999 });
  });

  it("picks a bindable port below the ephemeral range, where no outgoing connection takes it", async () => {
    const { low } = ephemeralPortRange();
    for (let i = 0; i < 5; i++) {
      const port = await freePort();
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(low);
      await hold(port);
    }
  });

  it("skips a port that is taken and tries another", async () => {
    const taken = await freePort();
    await hold(taken);
    const { low } = ephemeralPortRange();
    const takenDraw = (taken - 10_000 + 0.5) / (low - 10_000);
    const draws = [takenDraw, takenDraw, 0.5];
    const port = await freePort(() => draws.shift() ?? 0.25);
    expect(port).not.toBe(taken);
    await hold(port);
  });
});
