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

/** A port the OS just handed out on 127.0.0.1 (closed again, so the emulator can take it). */
export const freePort = (): Promise<number> => listenOnce(0);

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
