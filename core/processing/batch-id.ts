import { createHash } from "node:crypto";

/**
 * A deterministic batch id: the same records give the same id in any order, so a retried batch
 * overwrites its own file (and keeps its own claims on parked receipts) instead of acting anew.
 */
export function batchIdOf(ids: string[]): string {
  const hash = createHash("sha256");
  for (const id of [...ids].sort()) hash.update(id).update("\n");
  return hash.digest("hex").slice(0, 32);
}
