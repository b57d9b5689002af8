import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import {
  intSetting,
  jsonSetting,
  logLevelSetting,
  optionalSetting,
  parseSettings,
  requiredSetting,
  SettingsError,
} from "../../core/settings";

const schema = z.object({
  TABLE: requiredSetting,
  PREFIX: optionalSetting,
  ATTEMPTS: intSetting(1, 10, 3),
  LEVEL: logLevelSetting(["DEBUG", "INFO"] as const),
  PATTERNS: jsonSetting(z.array(z.string())),
});
const parse = (env: Record<string, string | undefined>) => parseSettings(schema, env, "function environment");

describe("function settings from the environment", () => {
  it("trims values, reads blanks as absent and applies defaults", () => {
    expect(parse({ TABLE: "  replies ", PREFIX: "  ", LEVEL: "debug" })).toEqual({
      TABLE: "replies",
      PREFIX: undefined,
      ATTEMPTS: 3,
      LEVEL: "DEBUG",
      PATTERNS: [],
    });
  });

  it("names every variable at fault in one error", () => {
    const attempt = () => parse({ ATTEMPTS: "11", LEVEL: "loud", PATTERNS: "[not json" });
    expect(attempt).toThrow(SettingsError);
    expect(attempt).toThrow(
      /invalid function environment: TABLE is required; ATTEMPTS must be an integer between 1 and 10; LEVEL must be one of DEBUG, INFO; PATTERNS must be valid JSON/,
    );
  });

  it("validates JSON settings against their schema", () => {
    expect(() => parse({ TABLE: "t", PATTERNS: "[1]" })).toThrow(/PATTERNS\.0/);
    expect(parse({ TABLE: "t", PATTERNS: '["a"]' }).PATTERNS).toEqual(["a"]);
  });
});
