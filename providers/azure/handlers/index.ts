/**
 * A Functions app entry that can run any consumer: registers the one SMS_HANDLER names, loading
 * only that handler's module. The deployed packages are per-consumer bundles (./bundle).
 */

import type { HandlerName } from "../infra/handlerNames";
import { type Handler, handlerNameOf, registerConsumer } from "./functions";

const loaders: Record<HandlerName, () => Promise<Handler>> = {
  analytics: async () => (await import("./analytics")).handler,
  responses: async () => (await import("./responses")).handler,
  archive: async () => (await import("./archive")).handler,
};

const name = handlerNameOf(process.env);
registerConsumer(name, loaders[name]);
