/**
 * The deployed entry of every AWS function (see bundle.ts): a handler that imports the runtime's
 * packages (AWS SDK, Powertools) and then the handler's own module at its first invocation.
 * Importing the bundle, Lambda's init phase, then evaluates next to nothing: no SDK is loaded, no
 * schema built, no libphonenumber metadata read until an event needs them. Nothing is imported
 * here: this file is all the bundle evaluates at import.
 */

/** Where the bundle's shims of the runtime's packages find them once loaded (see bundle.ts). */
export const DEFERRED_EXTERNALS_KEY = "sms-campaigns.deferredExternals";
const DEFERRED_EXTERNALS = Symbol.for(DEFERRED_EXTERNALS_KEY);

type Handler<Args extends unknown[], Result> = (...args: Args) => Promise<Result>;

/**
 * `externals` loads each runtime package by name; `load` then imports the handler's module, whose
 * imports of those packages read them from DEFERRED_EXTERNALS. A failed load is not cached: the
 * next invocation tries again.
 */
export const deferredHandler = <Args extends unknown[], Result>(
  externals: Record<string, () => Promise<unknown>>,
  load: () => Promise<Handler<Args, Result>>,
): Handler<Args, Result> => {
  let loading: Promise<Handler<Args, Result>> | undefined;
  const loadAll = async () => {
    const names = Object.keys(externals);
    const modules = await Promise.all(names.map((name) => externals[name]()));
    (globalThis as Record<symbol, unknown>)[DEFERRED_EXTERNALS] = new Map(
      names.map((name, index) => [name, modules[index]]),
    );
    return load();
  };
  return async (...args: Args) => {
    loading ??= loadAll().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return (await loading)(...args);
  };
};
