import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { EmulatorError } from "./errors";

const require = createRequire(import.meta.url);

/**
 * Root directory of an installed package, searched along Node's node_modules lookup paths
 * (require.resolve would fail on packages that export only an "import" entry, like fauxqs).
 */
export const packageDir = (name: string): string => {
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = join(base, name);
    if (existsSync(join(dir, "package.json"))) return dir;
  }
  throw new EmulatorError(`${name} is not installed; run \`flock /tmp/npm.lock npm install\` first`);
};
