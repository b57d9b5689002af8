import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

const END_TO_END = "test/e2e/**/*.test.ts";

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Vitest's default in a run is one worker fewer than the cores: one on the 2-core CI machine,
    // where the unit, contract and integration files leave a core idle while they wait on an
    // emulator, a timer or a child process. Their emulators take free ports and fresh temp dirs.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ["default"],
    projects: [
      {
        extends: true,
        test: { name: "unit-to-integration", include: ["test/**/*.test.ts"], exclude: [END_TO_END] },
      },
      // Each end-to-end file runs a whole campaign (emulators, functions, stream) that keeps both
      // cores busy by itself; two at once only thrash (a GCP run took 2.6 times as long). Vitest runs
      // a project without file parallelism after the others, one file at a time.
      { extends: true, test: { name: "e2e", include: [END_TO_END], fileParallelism: false } },
    ],
  },
});
