import { describe, expect, it } from "vitest";
import { measureMessage } from "../../../core/campaign/encoding";
import { renderTemplate } from "../../../core/campaign/template";

describe("message encoding and segments", () => {
  it.each([
    ["plain ASCII text stays GSM-7 in one segment", "Hello Ana, your order shipped.", "GSM-7", 30, 1],
    ["exactly 160 GSM-7 characters fit one segment", "a".repeat(160), "GSM-7", 160, 1],
    ["161 GSM-7 characters need two 153-septet parts", "a".repeat(161), "GSM-7", 161, 2],
    ["306 GSM-7 characters fill exactly two parts", "a".repeat(306), "GSM-7", 306, 2],
    ["307 GSM-7 characters need three parts", "a".repeat(307), "GSM-7", 307, 3],
    ["the euro sign is a GSM-7 extension and counts two", "Only 5€", "GSM-7", 8, 1],
    ["80 extension characters make 160 septets: one segment", "{}".repeat(40), "GSM-7", 160, 1],
    ["81 extension characters overflow into two parts", `${"[]".repeat(40)}|`, "GSM-7", 162, 2],
    ["every extension character counts two", "\f^{}\\[~]|€", "GSM-7", 20, 1],
    ["GSM-7 accented letters do not force UCS-2", "Café à Malmö, señor", "GSM-7", 19, 1],
    ["one character outside GSM-7 switches the message to UCS-2", "Thanks ✓", "UCS-2", 8, 1],
    ["an emoji takes two UTF-16 units", "Hi 😀", "UCS-2", 5, 1],
    ["35 emoji are 70 units: one UCS-2 segment", "😀".repeat(35), "UCS-2", 70, 1],
    ["36 emoji are 72 units: two UCS-2 parts", "😀".repeat(36), "UCS-2", 72, 2],
    ["71 UCS-2 characters need two 67-unit parts", "ж".repeat(71), "UCS-2", 71, 2],
    ["134 UCS-2 characters fill exactly two parts", "ж".repeat(134), "UCS-2", 134, 2],
  ])("%s", (_name, text, encoding, units, segments) => {
    expect(measureMessage(text)).toEqual({ encoding, units, segments });
  });

  it("never splits an escape pair across parts, so 153 septets ending in € spill over", () => {
    // 152 plain + € (2) = 154 septets in the first part would not fit 153: the € moves on.
    const text = `${"a".repeat(152)}€${"b".repeat(10)}`;
    expect(measureMessage(text)).toEqual({ encoding: "GSM-7", units: 164, segments: 2 });
    const exact = `${"a".repeat(152)}€${"b".repeat(152)}`;
    expect(measureMessage(exact).segments).toBe(3);
  });

  it("counts segments after personalization, when a name can switch the encoding", () => {
    const template = "Hi {{first_name}}, welcome!";
    expect(measureMessage(renderTemplate(template, { first_name: "Ana" })).encoding).toBe("GSM-7");
    expect(measureMessage(renderTemplate(template, { first_name: "Łukasz" })).encoding).toBe("UCS-2");
  });
});
