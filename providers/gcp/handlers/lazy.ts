/**
 * A handler built on its first invocation (the instance's cold start), not at import: loading the
 * functions never throws, and a bad environment fails the invocation with a message naming the
 * variable. A failed build is not cached, so a fixed environment is picked up. An error that
 * escapes is redacted (core/redact.ts) before the framework logs it.
 */
import { redactThrown } from "../../../core/redact";

export const lazy = <A extends unknown[], R>(build: () => (...args: A) => R): ((...args: A) => R) => {
  let built: ((...args: A) => R) | undefined;
  // What escapes goes to the Functions Framework's error log: redacted first.
  return (...args) => {
    try {
      built ??= build();
      const result = built(...args);
      return result instanceof Promise
        ? (result.catch((thrown: unknown) => {
            throw redactThrown(thrown);
          }) as R)
        : result;
    } catch (thrown) {
      throw redactThrown(thrown);
    }
  };
};
