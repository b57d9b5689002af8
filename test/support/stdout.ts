import { vi } from "vitest";

/**
 * Runs `run` with process.stdout captured (where Powertools' EMF and the GCP log sink write their
 * metrics), returning its result and everything it wrote; stdout is restored even if `run` throws.
 */
export async function stdoutDuring<T>(run: () => Promise<T>): Promise<{ result: T; stdout: string }> {
  let stdout = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    return { result: await run(), stdout };
  } finally {
    spy.mockRestore();
  }
}
