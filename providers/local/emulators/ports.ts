import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { EmulatorError } from "./errors";

export const LOOPBACK = "127.0.0.1";

const listenOnce = (port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, LOOPBACK, () => {
      const address = server.address();
      const bound = typeof address === "object" && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });

/** The kernel's range for ephemeral ports (outgoing connections' source ports, and `listen(0)`). */
export function ephemeralPortRange(rangeText = readTextOr("/proc/sys/net/ipv4/ip_local_port_range")): {
  low: number;
  high: number;
} {
  const [low, high] = (rangeText ?? "").trim().split(/\s+/).map(Number);
  // Linux's default; macOS and Windows start theirs higher still.
  return Number.isInteger(low) && Number.isInteger(high) && low <= high
    ? { low, high }
    : { low: 32768, high: 60999 };
}

const readTextOr = (path: string): string | undefined => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
};

/** Emulator ports are drawn from here, below the ephemeral range (above the well-known ports). */
const FIRST_CHOSEN_PORT = 10_000;
const PORT_TRIES = 50;

/**
 * A free port on 127.0.0.1 for an emulator to take, picked at random below the ephemeral range. An
 * ephemeral one (`listen(0)`) could be taken as the source port of any outgoing connection between
 * our check and the emulator's bind: with tests making thousands of connections, a JVM emulator
 * then failed to bind, or a probe reached another emulator. Falls back to the OS's pick.
 */
export async function freePort(random: () => number = Math.random): Promise<number> {
  const { low } = ephemeralPortRange();
  const span = low - FIRST_CHOSEN_PORT;
  for (let attempt = 0; span > 0 && attempt < PORT_TRIES; attempt++) {
    const port = FIRST_CHOSEN_PORT + Math.floor(random() * span);
    const bound = await listenOnce(port).catch(() => undefined);
    if (bound !== undefined) return bound;
  }
  return listenOnce(0);
}

/** Throws an EmulatorError naming the port and the emulator when the port is already taken. */
export const assertPortFree = async (port: number, emulator: string): Promise<number> => {
  try {
    return await listenOnce(port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES") {
      throw new EmulatorError(
        `${emulator}: port ${port} on ${LOOPBACK} is ${code === "EACCES" ? "not permitted" : "already in use"}; stop whatever holds it or choose another port`,
      );
    }
    throw error;
  }
};

/** The requested port after checking it is free, or a fresh free port. */
export const portFor = (requested: number | undefined, emulator: string): Promise<number> =>
  requested === undefined ? freePort() : assertPortFree(requested, emulator);
