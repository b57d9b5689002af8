/**
 * SMS encoding and segment counting. A message is GSM-7 when every character is in the GSM 03.38
 * basic set or its extension table (extension characters take two septets); otherwise it is UCS-2,
 * counted in UTF-16 code units so an emoji takes two. Multipart messages lose room to the UDH:
 * 160/153 septets for GSM-7, 70/67 code units for UCS-2. Characters are never split across parts.
 */
export type SmsEncoding = "GSM-7" | "UCS-2";

export interface MessageMeasure {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

const GSM7_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const GSM7_EXTENSION = new Set("\f^{}\\[~]|€");

const LIMITS: Record<SmsEncoding, { single: number; multi: number }> = {
  "GSM-7": { single: 160, multi: 153 },
  "UCS-2": { single: 70, multi: 67 },
};

/** Cost of one character (a code point) in the encoding's units. */
function unitCost(char: string, encoding: SmsEncoding): number {
  if (encoding === "UCS-2") return char.length;
  return GSM7_EXTENSION.has(char) ? 2 : 1;
}

export function encodingOf(text: string): SmsEncoding {
  for (const char of text) {
    if (!GSM7_BASIC.has(char) && !GSM7_EXTENSION.has(char)) return "UCS-2";
  }
  return "GSM-7";
}

export function measureMessage(text: string): MessageMeasure {
  const encoding = encodingOf(text);
  const { single, multi } = LIMITS[encoding];
  let units = 0;
  for (const char of text) units += unitCost(char, encoding);
  if (units <= single) return { encoding, units, segments: 1 };
  // Pack greedily so a two-unit character (escape pair, surrogate pair) never straddles parts.
  let segments = 1;
  let used = 0;
  for (const char of text) {
    const cost = unitCost(char, encoding);
    if (used + cost > multi) {
      segments++;
      used = 0;
    }
    used += cost;
  }
  return { encoding, units, segments };
}
