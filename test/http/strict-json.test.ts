import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/errors.ts";
import { MAX_JSON_DEPTH, parseStrictJson } from "../../src/http/strict-json.ts";

const MALFORMED = "The JSON request body contained a syntax error or duplicate attributes.";

function refusal(body: Uint8Array | string): unknown {
  try {
    parseStrictJson(body);
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Vitest's toStrictEqual compares `constructor` properties, which JSON may set as own keys. */
function expectSameAsJsonParse(parsed: unknown, text: string): void {
  const expected: unknown = JSON.parse(text);
  expect(parsed).toEqual(expected);
  expect(isDeepStrictEqual(parsed, expected)).toBe(true);
}

const nested = (depth: number): string => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const nestedObjects = (depth: number): string => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

describe("parseStrictJson accepts what JSON.parse accepts", () => {
  it.each([
    ["empty object", "{}"],
    ["empty array", "[]"],
    ["empty object with whitespace", " \t\r\n{ \t\r\n} \t\r\n"],
    ["nested", '{"a":{"b":[1,{"c":[[],{}]},"x"],"d":null},"e":[true,false]}'],
    ["same key in sibling objects", '[{"a":1},{"a":2},{"b":{"a":3}}]'],
    ["same key at different depths", '{"a":{"a":{"a":1}}}'],
    ["keys differing only in case", '{"a":1,"A":2}'],
    ["simple escapes", '"\\" \\\\ \\/ \\b \\f \\n \\r \\t"'],
    ["unicode escapes", '"\\u0041\\u00e9\\u20AC\\uffff"'],
    ["surrogate pair escape", '"\\ud83d\\ude00"'],
    ["lone high surrogate escape", '"\\ud800"'],
    ["lone low surrogate escape", '"x\\udc00y"'],
    ["raw non-ASCII", '{"clé":"värde 😀 日本"}'],
    ["DEL is not a control character", '"\u007f"'],
    ["escaped key", '{"\\u0061b":1,"a\\"b":2}'],
    ["integers", "[0,-0,1,-1,1234567890,9007199254740993,123456789012345678901234567890]"],
    ["fractions", "[0.5,-0.5,3.141592653589793,1.0,0.1,0.30000000000000004]"],
    ["exponents", "[1e3,1E3,1e+3,1e-3,-2.5E-7,0e0,1e400,-1e400,5e-324,1e-400]"],
    ["top-level string", '"hello"'],
    ["top-level number", "42"],
    ["top-level negative exponent", "-1.5e-2"],
    ["top-level true", "true"],
    ["top-level false", "false"],
    ["top-level null", "null"],
    ["whitespace around scalar", "  7  "],
    ["__proto__ key", '{"__proto__":{"x":1}}'],
    [
      "constructor and prototype keys",
      '{"constructor":{"prototype":{"x":1}},"toString":1,"hasOwnProperty":2}',
    ],
    [`${MAX_JSON_DEPTH}-deep arrays`, nested(MAX_JSON_DEPTH)],
    [`${MAX_JSON_DEPTH}-deep objects`, nestedObjects(MAX_JSON_DEPTH)],
  ])("%s", (_name, text) => {
    expectSameAsJsonParse(parseStrictJson(text), text);
    expectSameAsJsonParse(parseStrictJson(Buffer.from(text, "utf8")), text);
  });

  it("keeps -0 and large integers exactly as JSON.parse", () => {
    const text = "[-0,9007199254740993,1e21,123456789012345]";
    const parsed = parseStrictJson(text);
    expect(Array.isArray(parsed)).toBe(true);
    expect(Object.is((parsed as number[])[0], -0)).toBe(true);
    expectSameAsJsonParse(parsed, text);
  });

  it("accepts a Uint8Array that is not a Buffer", () => {
    expect(parseStrictJson(new TextEncoder().encode('{"a":"é"}'))).toStrictEqual({ a: "é" });
  });
});

describe("parseStrictJson refuses", () => {
  it.each<[string, Uint8Array | string]>([
    ["empty string", ""],
    ["whitespace only", " \n\t "],
    ["empty bytes", new Uint8Array(0)],
    ["unclosed object", "{"],
    ["unclosed array", "[1,2"],
    ["unclosed string", '"abc'],
    ["trailing garbage", "{}x"],
    ["two documents", "{} {}"],
    ["single quotes", "{'a':1}"],
    ["unquoted key", "{a:1}"],
    ["missing colon", '{"a" 1}'],
    ["missing value", '{"a":}'],
    ["missing comma", '{"a":1 "b":2}'],
    ["trailing comma in object", '{"a":1,}'],
    ["trailing comma in array", "[1,2,]"],
    ["leading comma", "[,1]"],
    ["leading zero", "01"],
    ["leading zero in array", "[01]"],
    ["negative leading zero", "-01"],
    ["plus sign", "+1"],
    ["bare minus", "-"],
    ["fraction without digits", "1."],
    ["fraction without integer", ".5"],
    ["exponent without digits", "1e"],
    ["exponent sign without digits", "1e+"],
    ["hex number", "0x10"],
    ["NaN", "NaN"],
    ["Infinity", "Infinity"],
    ["-Infinity", "-Infinity"],
    ["truncated literal", "tru"],
    ["capitalised literal", "True"],
    ["literal with suffix", "nulls"],
    ["undefined", "undefined"],
    ["unescaped newline in string", '"a\nb"'],
    ["unescaped tab in string", '"a\tb"'],
    ["unescaped NUL in string", '"a\u0000b"'],
    ["unknown escape", '"\\x41"'],
    ["escaped single quote", '"\\\'"'],
    ["short unicode escape", '"\\u12"'],
    ["non-hex unicode escape", '"\\u12G4"'],
    ["backslash at end", '"\\'],
    ["comment", '{"a":1 /* no */}'],
    ["byte order mark", "\ufeff{}"],
    ["byte order mark in bytes", Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d])],
    ["non-JSON whitespace", "{\u00a0}"],
    ["invalid UTF-8 byte", Buffer.from([0x7b, 0xff, 0x7d])],
    ["truncated UTF-8 sequence in a string", Buffer.from([0x22, 0xc3, 0x22])],
    ["overlong UTF-8 encoding", Buffer.from([0x22, 0xc0, 0xaf, 0x22])],
    ["UTF-8 encoded surrogate", Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])],
    ["300-deep arrays", nested(300)],
    ["300-deep objects", nestedObjects(300)],
    [`${MAX_JSON_DEPTH + 1}-deep arrays`, nested(MAX_JSON_DEPTH + 1)],
    ["100000-deep arrays", nested(100_000)],
  ])("%s", (_name, body) => {
    const error = refusal(body);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "malformed_json", message: MALFORMED });
  });
});

describe("parseStrictJson refuses duplicate keys that JSON.parse would let through", () => {
  it.each([
    ["duplicate top-level key", '{"a":1,"a":2}'],
    ["duplicate key with equal values", '{"a":1,"b":0,"a":1}'],
    ["duplicate nested key", '{"a":{"b":1,"b":2}}'],
    ["duplicate key inside an array", '[{"x":1},{"y":1,"y":1}]'],
    ["duplicate key after escape decoding", '{"a":1,"\\u0061":2}'],
    ["duplicate key after simple escape decoding", '{"a/b":1,"a\\/b":2}'],
    ["duplicate empty key", '{"":1,"":2}'],
    ["duplicate __proto__ key", '{"__proto__":1,"__proto__":2}'],
    ["duplicate key deep down", `{"a":[${nestedObjects(50).replace("1}", '1,"a":2}')}]}`],
  ])("%s", (_name, text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(refusal(text)).toMatchObject({ code: "malformed_json", message: MALFORMED });
  });
});

describe("parseStrictJson and prototypes", () => {
  it("makes __proto__ an own data property and leaves the prototype alone", () => {
    const parsed = parseStrictJson('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.hasOwn(parsed, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(parsed, "__proto__")).toEqual({
      value: { polluted: true },
      writable: true,
      enumerable: true,
      configurable: true,
    });
    expect(Object.keys(parsed)).toEqual(["__proto__", "a"]);
    expect("polluted" in parsed).toBe(false);
    expect("polluted" in {}).toBe(false);
  });

  it("handles __proto__ nested and inside arrays", () => {
    const text = '[{"a":{"__proto__":{"isAdmin":true}}}]';
    const parsed = parseStrictJson(text) as [{ a: Record<string, unknown> }];
    expect(Object.getPrototypeOf(parsed[0].a)).toBe(Object.prototype);
    expect(parsed[0].a.isAdmin).toBeUndefined();
    expectSameAsJsonParse(parsed, text);
  });

  it("does not treat inherited names as duplicates", () => {
    const text = '{"toString":1,"valueOf":2,"constructor":3}';
    expectSameAsJsonParse(parseStrictJson(text), text);
  });
});

describe("parseStrictJson on a large body", () => {
  it("parses a 1 MiB document as JSON.parse does", () => {
    const items: unknown[] = [];
    for (let size = 0, index = 0; size < 1024 * 1024; index += 1) {
      const item = {
        id: index,
        key: `key-${index}`,
        value: `caf\u00e9 "quoted" \u{1f600} ${index}\n`,
        score: index * 1.25e-3,
        flags: [true, false, null],
        nested: { depth: { more: [-index, 2.5e10] } },
      };
      items.push(item);
      size += Buffer.byteLength(JSON.stringify(item)) + 1;
    }
    const text = JSON.stringify({ items });
    const body = Buffer.from(text, "utf8");
    expect(body.length).toBeGreaterThanOrEqual(1024 * 1024);

    // How fast is a benchmark's question (npm run bench prints it beside JSON.parse), not a test's.
    expectSameAsJsonParse(parseStrictJson(body), text);
  });
});
