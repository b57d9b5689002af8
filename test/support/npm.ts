/** This process's env minus what an outer `npm run` set, so an inner npm sets its own INIT_CWD. */
export function withoutNpmContext(): NodeJS.ProcessEnv {
  const { INIT_CWD: _cwd, npm_lifecycle_event: _event, ...env } = process.env;
  return env;
}
