import { type ChildProcess, spawn } from "node:child_process";
import { EmulatorError } from "./errors";

export interface DetachedProcess {
  name: string;
  pid: number;
  /** Last lines the process printed, for error messages. */
  recentOutput(): string;
  /** Resolves once the process has exited (immediately if it already has). */
  exited(): Promise<void>;
  hasExited(): boolean;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL to the whole process group at once (a crash, for chaos runs); resolves once it exited. */
  kill(): Promise<void>;
}

const OUTPUT_LINES_KEPT = 40;
const live = new Set<DetachedProcess>();

const signalGroup = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
};

let cleanupRegistered = false;
/** On exit nothing async runs, so kill what is left outright; on SIGINT/SIGTERM do the same, then exit. */
const registerCleanup = () => {
  if (cleanupRegistered) return;
  cleanupRegistered = true;
  process.once("exit", () => {
    for (const child of live) signalGroup(child.pid, "SIGKILL");
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      for (const child of live) signalGroup(child.pid, "SIGKILL");
      // Keep the default "die on signal" behaviour unless someone else also listens.
      if (process.listenerCount(signal) === 0) process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
};

const keepTail = (lines: string[], chunk: string, log?: (line: string) => void) => {
  for (const line of chunk.split(/\r?\n/)) {
    if (!line.trim()) continue;
    lines.push(line);
    if (lines.length > OUTPUT_LINES_KEPT) lines.shift();
    log?.(line);
  }
};

export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/** Starts `command` as the leader of its own process group, so stop() also ends its children. */
export const spawnDetached = (
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions = {},
): DetachedProcess => {
  registerCleanup();
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tail: string[] = [];
  const prefixed = options.log ? (line: string) => options.log?.(`[${name}] ${line}`) : undefined;
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => keepTail(tail, chunk, prefixed));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => keepTail(tail, chunk, prefixed));

  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      resolve();
    });
    child.once("error", (error) => {
      keepTail(tail, String(error));
      exited = true;
      resolve();
    });
  });
  if (child.pid === undefined) {
    throw new EmulatorError(`${name}: could not start ${command}`);
  }
  const pid = child.pid;
  let stopping: Promise<void> | undefined;

  const handle: DetachedProcess = {
    name,
    pid,
    recentOutput: () => tail.join("\n"),
    exited: () => exitedPromise,
    hasExited: () => exited,
    stop: (graceMs = 5_000) => {
      stopping ??= (async () => {
        if (!exited) {
          signalGroup(pid, "SIGTERM");
          const timedOut = await Promise.race([
            exitedPromise.then(() => false),
            new Promise<boolean>((resolve) => setTimeout(() => resolve(true), graceMs).unref()),
          ]);
          if (timedOut) signalGroup(pid, "SIGKILL");
          await exitedPromise;
        }
        live.delete(handle);
      })();
      return stopping;
    },
    kill: async () => {
      signalGroup(pid, "SIGKILL");
      await exitedPromise;
      live.delete(handle);
    },
  };
  live.add(handle);
  return handle;
};

/** Polls `probe` until it returns true; fails fast with the process output if the process dies. */
export const waitUntilReady = async (
  child: DetachedProcess,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.hasExited()) {
      throw new EmulatorError(`${child.name} exited during start-up:\n${child.recentOutput()}`);
    }
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await child.stop();
  throw new EmulatorError(`${child.name} did not answer within ${timeoutMs} ms:\n${child.recentOutput()}`);
};

/** True once anything answers HTTP at `url` (any status: the emulators answer 400 to a bare GET). */
export const answersHttp = async (url: string): Promise<boolean> => {
  const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
  await response.body?.cancel();
  return true;
};
