/**
 * `npm run` (and `npm --prefix DIR run`) starts a script in the package's directory and keeps the
 * directory the user typed the command in as INIT_CWD. A relative path on the command line means
 * the user's directory, so the CLIs resolve against it.
 */
import { resolve } from "node:path";

/** The user's directory when `script` was started by npm; undefined when started directly. */
export function userDirectory(script: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.npm_lifecycle_event === script && env.INIT_CWD ? env.INIT_CWD : undefined;
}

/**
 * `path` as the user meant it: relative to their directory under npm, else to the current one.
 * Unchanged when those are the same, so messages show the path as it was typed.
 */
export function userPath(script: string, path: string, env: NodeJS.ProcessEnv = process.env): string {
  const user = userDirectory(script, env);
  return user && resolve(user) !== process.cwd() ? resolve(user, path) : path;
}
