// Bundle-only stand-in for "zod" (bundle.ts aliases it): zod's classic API minus what no function
// uses and no bundler can drop on its own, because `z` is used as one namespace object: every
// locale (English stays registered by the schemas), zod/v4/core re-exported whole, JSON Schema
// conversion and the schema compiler. A local export shadows the star re-export of the same name.
import * as z from "./zod-lean.mjs";

export * from "zod-classic-external";
export const locales = {};
export const core = {};
export const toJSONSchema = undefined;
export const fromJSONSchema = undefined;
export const compile = undefined;
export const withParser = undefined;
export { z };
export default z;
