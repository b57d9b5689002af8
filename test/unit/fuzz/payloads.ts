/**
 * Payload arbitraries for the fuzz: a seed (see seeds.ts) mutated in its structure (fields removed,
 * types swapped, huge or odd unicode strings, deep nesting), then in its text (truncation, duplicate
 * keys), then in its encoding (latin-1, UTF-16, base64 of base64, lone surrogate bytes, noise);
 * plus empty records and pure binary noise.
 */
import fc from "fast-check";
import type { Seed } from "./seeds";

export interface Payload {
  /** The source format of the seed (or "noise"/"empty"). */
  format: string;
  /** What was done to it, for the failure message. */
  mutation: string;
  bytes: Uint8Array;
}

type Path = (string | number)[];

/** Every path into a JSON value, so a mutation can target any field at any depth. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}

function keysOf(value: unknown): string[] {
  if (value === null || typeof value !== "object") return [];
  const children = Array.isArray(value) ? value : Object.values(value);
  return [...(Array.isArray(value) ? [] : Object.keys(value)), ...children.flatMap(keysOf)];
}

function valueAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) node = (node as Record<string | number, unknown>)[key];
  return node;
}

/** The value with one node replaced or removed; only the nodes along the path are copied. */
function setAt(node: unknown, path: Path, replacement: unknown, remove: boolean): unknown {
  if (path.length === 0) return replacement;
  const [key, ...rest] = path;
  const copy = (Array.isArray(node) ? [...node] : { ...(node as object) }) as Record<
    string | number,
    unknown
  >;
  if (rest.length === 0 && remove) delete copy[key];
  else copy[key] = setAt(copy[key], rest, replacement, remove);
  return copy;
}

/** Stands in for a deeply nested value until the text is built (JSON.stringify would recurse). */
const DEEP = "\u0000deep-nesting\u0000";
const DEEP_JSON = JSON.stringify(DEEP);

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

const LONE_SURROGATES = ["\uD800", "\uDBFF", "\uDC00", "\uDFFF", "+1425555\uD83D0123", "STOP\uDE00"];
const ODD_TEXT = [
  "",
  " ",
  "STOP",
  "ＳＴＯＰ",
  "stop\u200B",
  "HELP",
  "Arrêt",
  "\u202Eyes",
  "+14255550123",
  "＋１４２５５５５０１２３",
  "+١٤٢٥٥٥٥٠١٢٣",
  "4255550123",
  "+0",
  "+99999999999999999999",
  "2026-13-45T25:61:00Z",
  "2026-11-24T10:00:00+14:00",
  "275760-09-13T00:00:00.000Z",
  "-000001-01-01T00:00:00Z",
  "1700000000",
  "NaN",
  "Infinity",
  "__proto__",
  "constructor",
  "\u0000",
  "😀".repeat(3),
  "e\u0301",
];

/** Mostly 10 k units, sometimes 70 k, rarely 300 k (a Kinesis record holds up to 1 MB); rare, as they dominate the run's time. */
/** Any UTF-16 code units, lone surrogates included (fc.string's "binary" unit is ten times slower). */
const codeUnits = fc.uint16Array({ maxLength: 24 }).map((units) => String.fromCharCode(...units));

const hugeString = fc
  .tuple(
    fc.oneof(
      { weight: 30, arbitrary: fc.constant(10_000) },
      { weight: 3, arbitrary: fc.constant(70_000) },
      { weight: 1, arbitrary: fc.constant(300_000) },
    ),
    fc.constantFrom("x", "é", "😀", "STOP ", "\uD800"),
  )
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

/** Values of another type than the original (or of the same type, but wrong). */
const typeSwapsOf = (original: unknown): unknown[] => [
  null,
  true,
  0,
  -1,
  1e308,
  -0.5,
  Number.MAX_SAFE_INTEGER + 2,
  [],
  {},
  [original],
  { value: original },
  typeof original === "string" ? original : (JSON.stringify(original) ?? "undefined"),
  typeof original === "string" ? Number(original) : original,
];

const base64OfBase64 = (original: unknown) =>
  typeof original === "string" ? base64(base64(original)) : base64(JSON.stringify(original) ?? "");

/**
 * A replacement for one field, drawn without knowing the field: a kind and its raw material (only
 * the chosen kind's material is generated), which `replace` applies to the original.
 */
type Replacement =
  | { kind: "type swap" | "odd text" | "base64 of base64" | "deep nesting" | "field removed"; pick: number }
  | { kind: "any JSON" | "unicode / lone surrogates" | "huge string"; pick: number; material: unknown };

const bare = (kind: Exclude<Replacement, { material: unknown }>["kind"]) =>
  fc.nat().map((pick): Replacement => ({ kind, pick }));
const withMaterial = (
  kind: Extract<Replacement, { material: unknown }>["kind"],
  material: fc.Arbitrary<unknown>,
) => fc.tuple(fc.nat(), material).map(([pick, value]): Replacement => ({ kind, pick, material: value }));

const replacement: fc.Arbitrary<Replacement> = fc.oneof(
  { weight: 8, arbitrary: bare("type swap") },
  { weight: 5, arbitrary: withMaterial("any JSON", fc.jsonValue({ maxDepth: 3 })) },
  { weight: 6, arbitrary: bare("odd text") },
  {
    weight: 5,
    arbitrary: withMaterial(
      "unicode / lone surrogates",
      fc.oneof(codeUnits, fc.constantFrom(...LONE_SURROGATES)),
    ),
  },
  { weight: 1, arbitrary: withMaterial("huge string", hugeString) },
  { weight: 2, arbitrary: bare("base64 of base64") },
  { weight: 1, arbitrary: bare("deep nesting") },
  { weight: 5, arbitrary: bare("field removed") },
);

function replace(original: unknown, r: Replacement): unknown {
  if ("material" in r) return r.material;
  switch (r.kind) {
    case "type swap": {
      const swaps = typeSwapsOf(original);
      return swaps[r.pick % swaps.length];
    }
    case "odd text":
      return ODD_TEXT[r.pick % ODD_TEXT.length];
    case "base64 of base64":
      return base64OfBase64(original);
    case "deep nesting":
      return DEEP;
    case "field removed":
      return undefined;
  }
}

/** One mutation: the node at a path (picked among the value's paths) removed or replaced. */
function mutateOnce(value: unknown, paths: Path[], r: Replacement): unknown {
  const path = paths[r.pick % paths.length];
  return setAt(value, path, replace(valueAt(value, path), r), r.kind === "field removed" && path.length > 0);
}

const DEPTHS = [100, 100, 100, 100, 100, 100, 3_000, 3_000, 20_000];

/** The seed's JSON with one to three fields removed or replaced; the text it serialises to. */
function mutatedJson(json: unknown): fc.Arbitrary<{ text: string; how: string }> {
  const paths = pathsOf(json);
  return fc
    .tuple(replacement, fc.option(replacement, { freq: 2 }), fc.nat())
    .map(([first, second, depthPick]) => {
      let value = mutateOnce(json, paths, first);
      let how = first.kind;
      if (second !== null) {
        value = mutateOnce(value, pathsOf(value), second);
        how += ` + ${second.kind}`;
      }
      let text = JSON.stringify(value) ?? "null";
      if (text.includes(DEEP_JSON)) {
        const depth = DEPTHS[depthPick % DEPTHS.length];
        text = text.replace(DEEP_JSON, () => `${"[".repeat(depth)}1${"]".repeat(depth)}`);
      }
      return { text, how };
    });
}

/** A Twilio form body with parameters changed, removed, repeated or badly percent-encoded. */
function mutatedForm(form: string): fc.Arbitrary<{ text: string; how: string }> {
  const keys = [...new URLSearchParams(form).keys()];
  const key = fc.oneof(fc.constantFrom(...keys), fc.string());
  const value = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...ODD_TEXT) },
    { weight: 8, arbitrary: codeUnits },
    { weight: 1, arbitrary: hugeString },
  );
  return fc.oneof(
    fc.tuple(key, value).map(([k, v]) => {
      const params = new URLSearchParams(form);
      params.set(k, v);
      return { text: params.toString(), how: "parameter set" };
    }),
    key.map((k) => {
      const params = new URLSearchParams(form);
      params.delete(k);
      return { text: params.toString(), how: "parameter removed" };
    }),
    fc.tuple(key, value).map(([k, v]) => ({
      text: `${form}&${new URLSearchParams([[k, v]])}`,
      how: "duplicate parameter",
    })),
    fc
      .tuple(
        fc.constantFrom(...keys),
        fc.constantFrom("%", "%ZZ", "%E9", "%ED%A0%80", "%00", "+%2B+", "=&=&"),
      )
      .map(([k, bad]) => ({ text: form.replace(`${k}=`, `${k}=${bad}`), how: "bad percent-encoding" })),
  );
}

/** JSON text with one of its keys repeated, the copy before or after the original (JSON.parse keeps the last). */
function withDuplicateKey(
  text: string,
  key: string,
  value: unknown,
  after: boolean,
): { text: string; how: string } {
  const name = JSON.stringify(key);
  const copy = `${name}:${JSON.stringify(value)}`;
  const at = text.indexOf(`${name}:`);
  if (at < 0) return { text, how: "" };
  if (!after) return { text: `${text.slice(0, at)}${copy},${text.slice(at)}`, how: " + duplicate key first" };
  const end = text.lastIndexOf("}");
  return { text: `${text.slice(0, end)},${copy}${text.slice(end)}`, how: " + duplicate key last" };
}

/** What the text step does; only the chosen step's material is generated. */
type TextEdit =
  | { kind: "keep" }
  | { kind: "truncate"; at: number }
  | { kind: "duplicate key"; key: number; value: unknown; after: boolean };

const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: "keep" as const }) },
  { weight: 2, arbitrary: fc.nat().map((at) => ({ kind: "truncate" as const, at })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.nat(),
        fc.oneof(fc.constantFrom(null, 0, "", "x", [], {}), fc.constantFrom(...ODD_TEXT)),
        fc.boolean(),
      )
      .map(([key, value, after]) => ({ kind: "duplicate key" as const, key, value, after })),
  },
);

function textStep(text: string, keys: string[], edit: TextEdit): { text: string; how: string } {
  if (edit.kind === "truncate")
    return { text: text.slice(0, edit.at % Math.max(text.length, 1)), how: " + truncated" };
  if (edit.kind === "duplicate key" && keys.length > 0)
    return withDuplicateKey(text, keys[edit.key % keys.length], edit.value, edit.after);
  return { text, how: "" };
}

/** How the text becomes bytes; only the chosen encoding's material is generated. */
type Encoding =
  | { kind: "utf-8" | "latin-1" | "UTF-16LE" | "UTF-16BE" | "BOM" | "base64" | "base64 of base64" }
  | { kind: "lone surrogate bytes"; at: number }
  | { kind: "binary noise"; at: number; noise: Uint8Array };

const encoding: fc.Arbitrary<Encoding> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: "utf-8" as const }) },
  {
    weight: 6,
    arbitrary: fc
      .constantFrom(
        "latin-1" as const,
        "UTF-16LE" as const,
        "UTF-16BE" as const,
        "BOM" as const,
        "base64" as const,
        "base64 of base64" as const,
      )
      .map((kind) => ({ kind })),
  },
  { weight: 1, arbitrary: fc.nat().map((at) => ({ kind: "lone surrogate bytes" as const, at })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 }))
      .map(([at, noise]) => ({ kind: "binary noise" as const, at, noise })),
  },
);

const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const bytesOf = (text: string, encoding: BufferEncoding) => new Uint8Array(Buffer.from(text, encoding));

function encodingStep(text: string, e: Encoding): { bytes: Uint8Array; how: string } {
  const utf8 = () => bytesOf(text, "utf8");
  switch (e.kind) {
    case "utf-8":
      return { bytes: utf8(), how: "" };
    case "latin-1":
      return { bytes: bytesOf(`é${text}`, "latin1"), how: " as latin-1" };
    case "UTF-16LE":
      return { bytes: concat(new Uint8Array([0xff, 0xfe]), bytesOf(text, "utf16le")), how: " as UTF-16LE" };
    case "UTF-16BE":
      return { bytes: new Uint8Array(Buffer.from(text, "utf16le").swap16()), how: " as UTF-16BE" };
    case "BOM":
      return { bytes: concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8()), how: " after a UTF-8 BOM" };
    case "base64":
      return { bytes: bytesOf(base64(text), "utf8"), how: " as base64" };
    case "base64 of base64":
      return { bytes: bytesOf(base64(base64(text)), "utf8"), how: " as base64 of base64" };
    case "lone surrogate bytes": {
      const bytes = utf8();
      const cut = e.at % (bytes.length + 1);
      const surrogate = new Uint8Array([0xed, 0xa0, 0x80]);
      return {
        bytes: concat(bytes.subarray(0, cut), surrogate, bytes.subarray(cut)),
        how: " + lone surrogate bytes",
      };
    }
    case "binary noise": {
      const bytes = utf8();
      const cut = e.at % (bytes.length + 1);
      const rest = bytes.subarray(cut + e.noise.length);
      return { bytes: concat(bytes.subarray(0, cut), e.noise, rest), how: " + binary noise spliced in" };
    }
  }
}

function seedPayload(seed: Seed): fc.Arbitrary<Payload> {
  const structural = "json" in seed ? mutatedJson(seed.json) : mutatedForm(seed.form);
  const original = "json" in seed ? JSON.stringify(seed.json) : seed.form;
  const keys = "json" in seed ? [...new Set(keysOf(seed.json))] : [];
  const mutated = fc.oneof(
    { weight: 1, arbitrary: fc.constant({ text: original, how: "unchanged" }) },
    { weight: 9, arbitrary: structural },
  );
  return fc.tuple(mutated, textEdit, encoding).map(([{ text, how }, edit, e]) => {
    const edited = textStep(text, keys, edit);
    const encoded = encodingStep(edited.text, e);
    return { format: seed.format, mutation: how + edited.how + encoded.how, bytes: encoded.bytes };
  });
}

const EMPTY_LIKE = [
  "",
  " ",
  "\n\t",
  "\uFEFF",
  "null",
  "0",
  '""',
  "{}",
  "[]",
  "[{}]",
  "[null]",
  "=",
  "&&",
  '{"Records":[]}',
];

const noise: fc.Arbitrary<Payload> = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => ({ format: "noise", mutation: "binary noise", bytes })),
  fc.constantFrom(...EMPTY_LIKE).map((text) => ({
    format: "empty",
    mutation: JSON.stringify(text),
    bytes: new Uint8Array(Buffer.from(text, "utf8")),
  })),
);

/** A record body: mostly a mutated seed, sometimes noise or nothing. */
export function payloadArbitrary(seeds: Seed[]): fc.Arbitrary<Payload> {
  // One arbitrary per seed, built once: chaining from the seed would rebuild it for every payload.
  const fromSeed = fc.oneof(...seeds.map(seedPayload));
  return fc
    .oneof({ weight: 19, arbitrary: fromSeed }, { weight: 1, arbitrary: noise })
    .map((payload) => Object.assign(payload, { [fc.toStringMethod]: () => describePayload(payload) }));
}

/** One line that identifies a payload without printing a huge body. */
export function describePayload(payload: Payload): string {
  const whole = payload.bytes.length <= 1024;
  const preview = Buffer.from(payload.bytes.subarray(0, whole ? undefined : 160)).toString("base64");
  return `${payload.format} (${payload.mutation}; ${payload.bytes.length} bytes; base64 ${whole ? "" : "head "}${preview})`;
}
