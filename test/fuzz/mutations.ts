import type { SeededRandom } from "../edgegrid/seeded-random.ts";

/** Path segments and query values that validators, routers and decoders have tripped over elsewhere. */
export const JUNK_SEGMENTS: readonly string[] = [
  "",
  " ",
  "%20",
  "a b",
  "x".repeat(33),
  "x".repeat(129),
  "x".repeat(513),
  "x".repeat(1024),
  "x".repeat(1025),
  "x".repeat(4000),
  "é",
  "日本語",
  "😀",
  "%C3%A9",
  "%F0%9F%98%80",
  "%2F",
  "a%2Fb",
  "%2e%2e",
  "..",
  ".",
  "%zz",
  "%",
  "%2",
  "%00",
  "a%00b",
  "%FF",
  "%C0%AF",
  "%ED%A0%80",
  "%E2%80%AE",
  "__proto__",
  "constructor",
  "prototype",
  "hasOwnProperty",
  "toString",
  "0",
  "-1",
  "1e3",
  "9".repeat(30),
  "NaN",
  "null",
  "undefined",
  "true",
  "-leading",
  "_",
  "a;b",
  "a=b",
  "a?b=c",
  "a#b",
  "\\",
  "<script>",
  "'",
  '"',
  "+",
  "*",
  ":name",
  "{name}",
];

/** One of the junk segments, sometimes doubled or with a valid value around it. */
export function junkSegment(random: SeededRandom, valid: string): string {
  const junk = random.pick(JUNK_SEGMENTS);
  switch (random.int(0, 3)) {
    case 0:
      return `${valid}${junk}`;
    case 1:
      return `${junk}${valid}`;
    default:
      return junk;
  }
}

const JSON_ODDITIES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -0,
  "",
  "str",
  "true",
  "0",
  [],
  [1, "a", null],
  {},
  { nested: { deeper: [1] } },
  "x".repeat(10_000),
  "é😀\u0000\u202e",
];

/** A JSON text in which `value` sits at the top, or as the value of `field` in `base`. */
const withField = (base: Record<string, unknown>, field: string, valueText: string): string => {
  const rest = JSON.stringify(base).slice(1);
  return `{${JSON.stringify(field)}:${valueText}${rest === "}" ? "}" : `,${rest}`}`;
};

/**
 * A body near a valid one: each mutation breaks one thing (a type, a field, the syntax, the
 * encoding, the size) so the request gets as far as that one thing allows.
 */
export function mutateJson(random: SeededRandom, valid: Record<string, unknown>): Buffer {
  const fields = Object.keys(valid);
  const field = fields.length > 0 ? random.pick(fields) : "field";
  const text = JSON.stringify(valid);
  const mutations: Array<() => string | Buffer> = [
    // A wrong type or value for one field.
    () => JSON.stringify({ ...valid, [field]: random.pick(JSON_ODDITIES) }),
    // A field missing.
    () => JSON.stringify(Object.fromEntries(Object.entries(valid).filter(([name]) => name !== field))),
    // Extra fields, some with names objects already have.
    () =>
      JSON.stringify({
        ...valid,
        [random.pick(["extra", "constructor", "toString", "hasOwnProperty", "$ref"])]:
          random.pick(JSON_ODDITIES),
      }),
    () => withField(valid, "__proto__", random.pick(['{"polluted":true}', "null", "1", '["r"]'])),
    () => `{"constructor":{"prototype":{"polluted":true}},${text.slice(1)}`,
    // A duplicate key, literally or once unescaped.
    () => withField(valid, field, JSON.stringify(random.pick(JSON_ODDITIES))),
    () =>
      `{"${[...field].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}":1,${text.slice(1)}`,
    // Nesting at, over and far over the parser's depth limit, at the top and inside a field.
    () => {
      const depth = random.pick([2, 255, 256, 257, 20_000]);
      return `${"[".repeat(depth)}${"]".repeat(depth)}`;
    },
    () => {
      const depth = random.pick([100, 300, 50_000]);
      return withField(valid, field, `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);
    },
    // Huge values within the body limit.
    () => JSON.stringify({ ...valid, [field]: "a".repeat(random.pick([300_000, 900_000])) }),
    () => JSON.stringify({ ...valid, [field]: Array.from({ length: 50_000 }, (_, index) => index) }),
    () => withField(valid, field, random.pick(["1e400", "-1e400", "123456789012345678901234567890", "-0.0"])),
    // Syntax errors.
    () => text.slice(0, random.int(0, Math.max(0, text.length - 1))),
    () => `${text.slice(0, -1)},}`,
    () => text.replaceAll('"', "'"),
    () => `${text}${random.pick(["x", "}", " {}", "\u0000", "//"])}`,
    () => withField(valid, field, random.pick(["NaN", "Infinity", "undefined", "0x10", "01", ".5", "+1"])),
    () => `/* comment */${text}`,
    // Not an object.
    () => random.pick(["[]", "1", '"text"', "null", "true", "[{}]", "  ", ""]),
    // Encodings: a BOM, lone surrogates, invalid UTF-8, NUL bytes.
    () => `\ufeff${text}`,
    () => withField(valid, field, random.pick(['"\\ud800"', '"\\udfff\\ud800"', '"\\u0000"', '"\\uZZZZ"'])),
    () =>
      Buffer.concat([
        Buffer.from(`{"${field}":"`),
        Buffer.from([random.pick([0xff, 0xc0, 0xed, 0x80])]),
        Buffer.from('"}'),
      ]),
    () => Buffer.from(random.bytes(random.int(1, 64))),
    () => Buffer.from(text, "utf16le"),
  ];
  const body = random.pick(mutations)();
  return typeof body === "string" ? Buffer.from(body) : body;
}

/** An item value: text, JSON, binary, empty, or larger than an item may be. */
export function itemValue(random: SeededRandom): Buffer {
  const values: Array<() => string | Buffer> = [
    () => random.string("abcdef xyz", 0, 40),
    () => JSON.stringify({ value: random.int(0, 1000), list: [1, 2, 3] }),
    () => "",
    () => "é😀\u0000",
    () => "{nope",
    () => "a".repeat(random.pick([262_144, 262_145, 700_000])),
    () => Buffer.from(random.bytes(random.int(1, 100))),
    () => Buffer.from([0xff, 0xfe, 0x00]),
  ];
  const value = random.pick(values)();
  return typeof value === "string" ? Buffer.from(value) : value;
}

/** Content types a client might send, right and wrong. */
export const CONTENT_TYPES: readonly (string | readonly string[])[] = [
  "application/json",
  "application/json; charset=utf-8",
  "APPLICATION/JSON",
  "text/plain",
  "text/plain; charset=latin1",
  "application/json; charset=utf-16",
  "application/octet-stream",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/problem+json",
  "*/*",
  "",
  ";;;",
  "json",
  ["application/json", "text/plain"],
];
