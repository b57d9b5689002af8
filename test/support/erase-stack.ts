/**
 * `smsctl erase --phone N --outputs FILE` against one cloud's emulators, as an operator runs it on
 * a deployed stack: the stores are made under deployed-style names, the outputs file names them,
 * and the command (in this process, its connector aimed at the emulators as the compliance
 * report's stack tests do) must find every item and archive row of the number through those names
 * alone, print the receipt, and remove nothing on a second run.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { type ConnectErasure, erase } from "../../cli/commands/erase";
import { type ErasureReceipt, receiptHashOf } from "../../core/processing/erasure";
import { phoneHash } from "../../core/redact";
import { archiveRows, type ErasureKit, person, seed, seedArchive } from "../contracts/erasure.contract";

/** Valid E.164 numbers (the CLI refuses the contract's +1555 ones, as libphonenumber does). */
const ANA = "+12125550101";
const BEN = "+12125550102";
const SALT = "erase-stack-salt-0123456789abcdef";

export interface ErasureStackFixture {
  /** The stack's stores under the names in `outputs`, to seed and read behind the command. */
  kit: ErasureKit & { dump: () => Promise<string> };
  /** What `pulumi stack output --json` would print for that stack. */
  outputs: Record<string, unknown>;
  /** The cloud's connector with the emulators' endpoints and keys (the outputs are the deployed ones). */
  connect: ConnectErasure;
}

/** Runs `erase` as the CLI does, returning the receipt (stdout, one JSON line) and the stderr line. */
async function eraseOnce(
  outputsFile: string,
  connect: ConnectErasure,
): Promise<{ receipt: ErasureReceipt; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
  try {
    await erase({ phone: ANA, outputs: outputsFile }, async (outputs) => connect(outputs));
  } finally {
    vi.mocked(process.stdout.write).mockRestore();
    vi.mocked(process.stderr.write).mockRestore();
  }
  const out = stdout.join("");
  return { receipt: JSON.parse(out) as ErasureReceipt, stdout: out, stderr: stderr.join("") };
}

const removedByStore = (receipt: ErasureReceipt) =>
  Object.fromEntries(receipt.stores.map((store) => [store.store, store.removed]));

export function eraseStackSuite(name: string, make: () => Promise<ErasureStackFixture>): void {
  describe(`smsctl erase --outputs: ${name}`, () => {
    const dir = mkdtempSync(join(tmpdir(), "smsctl-erase-stack-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    afterEach(() => {
      vi.unstubAllEnvs();
    });

    it("erases the number from every store and archive file the outputs name, prints the receipt, and a second erase removes 0", async () => {
      const { kit, outputs, connect } = await make();
      const ana = { ...person(), phone: ANA };
      const ben = { ...person(), phone: BEN };
      await seed(kit, ana);
      await seed(kit, ben);
      const keys = await seedArchive(kit, ana, ben);
      const outputsFile = join(dir, "outputs.json");
      writeFileSync(outputsFile, JSON.stringify(outputs));
      // With --outputs the salt comes from the environment (with --stack, from the stack's config).
      vi.stubEnv("SMS_PHONE_HASH_SALT", SALT);

      const first = await eraseOnce(outputsFile, connect);

      const { receipt } = first;
      expect(removedByStore(receipt)).toEqual({
        responses: 2,
        "message-log": 1,
        journeys: 1,
        "opt-out-reviews": 1,
        "pending-receipts": 1,
        "opt-outs": 1,
        "consent-log": 2,
        "revocation-clocks": 2,
        subscribers: 1,
        archive: 4,
      });
      expect(receipt).toMatchObject({
        phone: "***0101",
        phoneHash: phoneHash(ANA, SALT),
        subscriberIds: 1,
        consent: { entries: 2, verified: true },
        archiveFilesScanned: keys.length,
        removed: 16,
      });
      expect(first.stdout).not.toContain(ANA.slice(1));
      const stack = connect(outputs);
      expect(first.stderr).toBe(
        `erase: ***0101 erased from ${stack.describe()}: 16 items and rows removed; tombstone ${phoneHash(ANA, SALT)}, receipt sha256 ${receiptHashOf(receipt)}\n`,
      );
      await stack.close?.();
      console.log(
        `[${name}] erase --outputs removed ${receipt.removed} (${Object.entries(removedByStore(receipt))
          .map(([store, n]) => `${store} ${n}`)
          .join(", ")}); ${receipt.archiveFilesScanned} archive files scanned`,
      );

      // Behind the adapters: nothing of Ana's, Ben's untouched; the archive still reads, same keys.
      const dump = await kit.dump();
      expect(dump).not.toContain(ANA.slice(1));
      expect(dump).toContain(BEN.slice(1));
      const rows = await archiveRows(kit.archive);
      expect([...rows.keys()].sort()).toEqual(keys);
      const all = [...rows.values()].flat();
      expect(all.filter((row) => row.phoneNumber === ANA || row.subscriberId === ana.subscriberId)).toEqual(
        [],
      );
      expect(all.filter((row) => row.phoneNumber === BEN)).toHaveLength(2);
      expect((await kit.tombstones.get(phoneHash(ANA, SALT)))?.receiptHash).toBe(receiptHashOf(receipt));

      const second = await eraseOnce(outputsFile, connect);
      expect(second.receipt.removed).toBe(0);
      expect(Object.values(removedByStore(second.receipt)).every((n) => n === 0)).toBe(true);
      expect(second.stderr).toMatch(/: 0 items and rows removed; /);
    }, 60_000);
  });
}
