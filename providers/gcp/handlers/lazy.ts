/**
 * A handler built on its first invocation (the instance's cold start), not at import: loading the
 * functions never throws, and a bad environment fails the invocation with a message naming the
 * variable. A failed build is not cached, so a fixed environment is picked up.
 */
export const lazy = <A extends unknown[], R>(build: () => (...args: A) => R): ((...args: A) => R) => {
  let built: ((...args: A) => R) | undefined;
  return (...args) => {
    built ??= build();
    return built(...args);
  };
};
