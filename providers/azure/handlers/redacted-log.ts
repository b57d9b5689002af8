import type { InvocationContext } from "@azure/functions";
import { redactValue } from "../../../core/redact";

const LOG_METHODS = ["log", "trace", "debug", "info", "warn", "error"] as const;
type LogMethods = Pick<InvocationContext, (typeof LOG_METHODS)[number]>;

/**
 * The invocation's log with every argument redacted (core/redact.ts) before the host sees it, so
 * no phone number reaches Application Insights whatever a handler or an error message says.
 * Every log method the context has is wrapped and called on the context itself (InvocationContext
 * keeps its handler in a private field); the rest of it (triggerMetadata) passes through.
 */
export function redactedLog<C extends Partial<LogMethods>>(context: C): C {
  const wrap =
    (method: (...args: unknown[]) => void) =>
    (...args: unknown[]) =>
      method.apply(
        context,
        args.map((arg) => redactValue(arg)),
      );
  const redacted = Object.create(context) as C & Partial<LogMethods>;
  for (const name of LOG_METHODS) {
    const method = context[name];
    if (typeof method === "function") redacted[name] = wrap(method as (...args: unknown[]) => void);
  }
  return redacted;
}
