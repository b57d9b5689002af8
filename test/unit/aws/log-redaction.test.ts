import { afterEach, describe, expect, it, vi } from "vitest";
import { createObservability } from "../../../providers/aws/handlers/observability";

describe("the AWS functions' Powertools logger", () => {
  afterEach(() => vi.restoreAllMocks());

  it("prints no phone number, in a message, an attribute or an error's message and stack", () => {
    const printed: string[] = [];
    // Powertools writes through its own Console on process.stdout / process.stderr.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, "write").mockImplementation((chunk: unknown) => {
        printed.push(String(chunk));
        return true;
      });
    }
    const { logger } = createObservability("responses", { logLevel: "DEBUG" });
    logger.info("answered +12125550101", {
      to: "+1 212 555 0102",
      recordIds: ["49590338271490256608559692538361571095921575989136588898"],
    });
    logger.error("records failed", {
      error: new Error("opt-out of +12125550103: too many concurrent writers"),
    });

    const output = printed.join("");
    expect(output).toContain("answered ***0101");
    expect(output).toContain('"to":"***0102"');
    expect(output).toContain("opt-out of ***0103");
    // Sequence numbers and other ids are not numbers of people.
    expect(output).toContain("49590338271490256608559692538361571095921575989136588898");
    expect(output).not.toMatch(/\+1\s?212/);
  });
});
