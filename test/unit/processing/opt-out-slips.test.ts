import { describe, expect, it } from "vitest";
import { classifyOptOutIntent } from "../../../core/processing/opt-out-intent";
import { classifyReplyIntent } from "../../../core/processing/reply-intent";
import { labelledReplies } from "../../fixtures/replies/labelled";
import { SLIP_KINDS, type SlippedReply, singleSlipVariants } from "./typing-slips";

const replies = labelledReplies();

const decisionOf = (text: string) => classifyReplyIntent(text).optOut.decision;

/** The share of `variants` that `kept` holds for, overall and by kind of slip, and the misses. */
function shareKept(variants: SlippedReply[], kept: (text: string) => boolean) {
  const misses = variants.filter((variant) => !kept(variant.text));
  const byKind = SLIP_KINDS.map((kind) => {
    const ofKind = variants.filter((variant) => variant.kind === kind);
    const missed = misses.filter((variant) => variant.kind === kind).length;
    return `${kind} ${(1 - missed / ofKind.length).toFixed(3)} of ${ofKind.length}`;
  });
  return { share: 1 - misses.length / variants.length, byKind: byKind.join(", "), misses };
}

describe("opt-out intent under single typing slips", () => {
  it("keeps at least 92% of the labelled opt-outs, each with one slip, opted out or held for review", () => {
    const variants = replies
      .filter((reply) => reply.label === "opt_out")
      .flatMap((reply) => singleSlipVariants(reply.text));
    const { share, byKind, misses } = shareKept(variants, (text) => decisionOf(text) !== "none");
    console.log(`opt-outs with one slip kept: ${share.toFixed(3)} of ${variants.length} (${byKind})`);
    console.log(misses.map((miss) => `lost (${miss.kind}): ${miss.text}`).join("\n"));
    expect(variants.length).toBeGreaterThan(1500);
    expect(share).toBeGreaterThanOrEqual(0.92);
  });

  it("leaves at least 99% of the labelled non-opt-outs, each with one slip, at none", () => {
    const variants = replies
      .filter((reply) => reply.label === "not")
      .flatMap((reply) => singleSlipVariants(reply.text));
    const { share, byKind, misses } = shareKept(variants, (text) => decisionOf(text) === "none");
    console.log(
      `non-opt-outs with one slip left at none: ${share.toFixed(3)} of ${variants.length} (${byKind})`,
    );
    console.log(misses.map((miss) => `flagged (${miss.kind}): ${miss.text}`).join("\n"));
    expect(variants.length).toBeGreaterThan(1000);
    expect(share).toBeGreaterThanOrEqual(0.99);
  });

  it("leaves every labelled hard negative, as written, at none", () => {
    const negatives = replies.filter((reply) => reply.label === "not");
    const flagged = negatives.filter((reply) => decisionOf(reply.text) !== "none");
    console.log(
      `hard negatives left at none: ${(1 - flagged.length / negatives.length).toFixed(3)} of ${negatives.length}`,
    );
    expect(flagged.map((reply) => reply.text)).toEqual([]);
  });
});

describe("slips the classifier undoes, and real words it leaves alone", () => {
  it.each([
    ["teext me? stop", "opt_out"],
    ["stop teexting me", "opt_out"],
    ["LEAAVE ME ALONE", "opt_out"],
    ["lose my nubmer", "opt_out"],
    ["unsubcsribe", "opt_out"],
    ["tsop", "opt_out"],
    ["STOPP", "opt_out"],
    ["sotpp bitte", "opt_out"],
    ["keie SMS mehr", "opt_out"],
    ["dejen de enviarme mensajees", "opt_out"],
    ["ancelar", "opt_out"],
    // A real word one slip from a carrier keyword: held for review (fail-closed), never opted out.
    ["STOOP", "review"],
    ["stoop texting me", "review"],
    // Hard negatives, with and without slips.
    ["sitting on the stoop", "none"],
    ["stopp by the store", "none"],
    ["stop by the stoore", "none"],
    ["don't stopp", "none"],
    ["no, I don't want to stoop", "none"],
    ["Stop & Shpo has it cheaper", "none"],
    ["no more tests", "none"],
    ["thanks alot", "none"],
    ["bite me", "none"],
    ["I'm too good at this", "none"],
    ["all good", "none"],
    ["remote work is great", "none"],
    ["no pare de mandar ofertas", "none"],
  ])("%s -> %s", (text, decision) => {
    expect(decisionOf(text)).toBe(decision);
  });

  it("names the slip in the rule of a reply it holds for review", () => {
    expect(classifyOptOutIntent("STOOP!")).toEqual({
      optOutConfidence: 0.8,
      decision: "review",
      rule: "slip.keyword.exact",
    });
  });
});
