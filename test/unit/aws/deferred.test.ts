import { describe, expect, it } from "vitest";
import { DEFERRED_EXTERNALS_KEY, deferredHandler } from "../../../providers/aws/handlers/deferred";

const loadedExternals = () =>
  (globalThis as Record<symbol, unknown>)[Symbol.for(DEFERRED_EXTERNALS_KEY)] as Map<string, unknown>;

describe("the deferred entry handler", () => {
  it("loads the packages, then the handler, once, at the first invocation", async () => {
    const loads: string[] = [];
    const handler = deferredHandler(
      {
        "pkg-a": async () => {
          loads.push("pkg-a");
          return { name: "a" };
        },
      },
      async () => {
        loads.push("handler");
        // The handler's module reads the packages loaded before it.
        const a = loadedExternals().get("pkg-a") as { name: string };
        return async (event: number) => `${a.name}:${event}`;
      },
    );
    expect(loads).toEqual([]);
    expect(await Promise.all([handler(1), handler(2)])).toEqual(["a:1", "a:2"]);
    expect(await handler(3)).toBe("a:3");
    expect(loads).toEqual(["pkg-a", "handler"]);
  });

  it("retries a failed load at the next invocation", async () => {
    let attempts = 0;
    const handler = deferredHandler({}, async () => {
      attempts++;
      if (attempts === 1) throw new Error("module not found");
      return async () => "ok";
    });
    await expect(handler()).rejects.toThrow("module not found");
    expect(await handler()).toBe("ok");
    expect(attempts).toBe(2);
  });
});
