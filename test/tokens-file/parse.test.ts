import { describe, expect, it } from "vitest";
import { parseTokensFile, TokensFileError } from "../../src/tokens-file/index.ts";
import { akamaiCliWrite, JWT, OTHER_UUID, UUID } from "./support.ts";

const DEFAULT = { "namespace-default": { name: "my_token", reference: UUID } };
const EXPORT = "export { edgekv_access_tokens };";

describe("parseTokensFile accepts", () => {
  it.each([
    [
      "the canonical layout",
      `var edgekv_access_tokens = {\n  "namespace-default": { "name": "my_token", "reference": "${UUID}" }\n}\n${EXPORT}\n`,
      DEFAULT,
    ],
    ["Akamai CLI's own layout (enhanced)", akamaiCliWrite(DEFAULT), DEFAULT],
    [
      "Akamai CLI's own layout (legacy, several entries)",
      akamaiCliWrite({
        "namespace-a": { name: "t", value: JWT },
        "namespace-b": { name: "t", value: JWT },
      }),
      { "namespace-a": { name: "t", value: JWT }, "namespace-b": { name: "t", value: JWT } },
    ],
    [
      "single-quoted strings",
      `var edgekv_access_tokens = { 'namespace-default': { 'name': 'my_token', 'reference': '${UUID}' } }\n${EXPORT}`,
      DEFAULT,
    ],
    [
      "unquoted keys",
      `var edgekv_access_tokens = { "namespace-default": { name: "my_token", reference: "${UUID}" } }\n${EXPORT}`,
      DEFAULT,
    ],
    [
      "an unquoted namespace key",
      `var edgekv_access_tokens = { default: { name: "my_token", reference: "${UUID}" } }\n${EXPORT}`,
      { default: { name: "my_token", reference: UUID } },
    ],
    [
      "trailing commas (python tool layout)",
      `var edgekv_access_tokens = {\n        "namespace-default": {\n            "name": "my_token",\n            "reference": "${UUID}",\n        },\n}\n${EXPORT}`,
      DEFAULT,
    ],
    [
      "line and block comments",
      `// generated\n/* tokens\n   for edgekv */\nvar edgekv_access_tokens = { // the tokens\n  "namespace-default": /* default ns */ { "name": "my_token", "reference": "${UUID}" } // ok\n}\n${EXPORT} // end`,
      DEFAULT,
    ],
    [
      "const",
      `const edgekv_access_tokens = { "namespace-default": { "name": "my_token", "reference": "${UUID}" } };\n${EXPORT}`,
      DEFAULT,
    ],
    [
      "let",
      `let edgekv_access_tokens = { "namespace-default": { "name": "my_token", "reference": "${UUID}" } };\n${EXPORT}`,
      DEFAULT,
    ],
    [
      "export const",
      `export const edgekv_access_tokens = { "namespace-default": { "name": "my_token", "reference": "${UUID}" } };\n`,
      DEFAULT,
    ],
    [
      "a compact export without semicolons",
      `var edgekv_access_tokens={"namespace-default":{"name":"my_token","reference":"${UUID}"}}export{edgekv_access_tokens}`,
      DEFAULT,
    ],
    [
      "an export with a trailing comma",
      `var edgekv_access_tokens = {}\nexport { edgekv_access_tokens, };`,
      {},
    ],
    [
      "a byte order mark and CRLF line ends",
      `\uFEFFvar edgekv_access_tokens = {\r\n  "namespace-default": { "name": "my_token", "reference": "${UUID}" }\r\n}\r\n${EXPORT}\r\n`,
      DEFAULT,
    ],
    [
      "JavaScript string escapes",
      `var edgekv_access_tokens = { "namespace-x": { "name": "a\\"b\\u0041\\x42\\u{1F600}\\'\\/", "value": 'it\\'s' } }\n${EXPORT}`,
      { "namespace-x": { name: `a"bAB\u{1F600}'/`, value: "it's" } },
    ],
    [
      "entries of both kinds",
      `var edgekv_access_tokens = {\n  "namespace-a": { "name": "t1", "reference": "${OTHER_UUID}" },\n  "namespace-b": { "value": "${JWT}", "name": "t2" }\n}\n${EXPORT}`,
      { "namespace-a": { name: "t1", reference: OTHER_UUID }, "namespace-b": { name: "t2", value: JWT } },
    ],
  ])("%s", (_form, text, expected) => {
    expect(parseTokensFile(text)).toEqual(expected);
  });

  it("keeps a __proto__ key as data", () => {
    const entries = parseTokensFile(
      `var edgekv_access_tokens = { "__proto__": { "name": "t", "reference": "${UUID}" } }\n${EXPORT}`,
    );
    expect(Object.keys(entries)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(entries)).toBe(Object.prototype);
  });
});

describe("parseTokensFile rejects", () => {
  it.each([
    ["an empty file", "", 1, "expected `var edgekv_access_tokens = {`, found the end of the file"],
    ["garbage", "hello world", 1, 'expected `var edgekv_access_tokens = {`, found "hello"'],
    ["another variable", `var tokens = {}\n${EXPORT}`, 1, 'expected `edgekv_access_tokens`, found "tokens"'],
    [
      "a missing export",
      "var edgekv_access_tokens = {\n}\n",
      3,
      "expected `export { edgekv_access_tokens };`",
    ],
    [
      "a missing comma between entries",
      `var edgekv_access_tokens = {\n  "namespace-a": { "name": "t", "reference": "u" }\n  "namespace-b": { "name": "t", "reference": "u" }\n}\n${EXPORT}`,
      3,
      'expected `,` or `}` after an entry, found "namespace-b"',
    ],
    [
      "a non-string value",
      `var edgekv_access_tokens = {\n  "namespace-a": { "name": "t", "reference": 42 }\n}\n${EXPORT}`,
      2,
      'expected a quoted string for "reference" in the entry "namespace-a", found "42"',
    ],
    [
      "code instead of a string",
      `var edgekv_access_tokens = {\n  "namespace-a": { "name": "t", "value": process.env.TOKEN }\n}\n${EXPORT}`,
      2,
      'expected a quoted string for "value"',
    ],
    [
      "an unknown field",
      `var edgekv_access_tokens = {\n  "namespace-a": {\n    "name": "t",\n    "secret": "x" }\n}\n${EXPORT}`,
      4,
      'expected "name", "reference", "value" or `}` in the entry "namespace-a", found "secret"',
    ],
    [
      "an entry without a name",
      `var edgekv_access_tokens = {\n  "namespace-a": { "reference": "u" }\n}\n${EXPORT}`,
      2,
      'the entry "namespace-a" has no "name"',
    ],
    [
      "an entry with both reference and value",
      `var edgekv_access_tokens = {\n  "namespace-a": { "name": "t", "reference": "u", "value": "v" }\n}\n${EXPORT}`,
      2,
      'the entry "namespace-a" has both "reference" and "value"',
    ],
    [
      "an entry with neither reference nor value",
      `var edgekv_access_tokens = {\n  "namespace-a": { "name": "t" }\n}\n${EXPORT}`,
      2,
      'the entry "namespace-a" has neither "reference" nor "value"',
    ],
    [
      "a duplicate key",
      `var edgekv_access_tokens = {\n  "namespace-a": { "name": "t", "reference": "u" },\n  'namespace-a': { "name": "t", "reference": "u" }\n}\n${EXPORT}`,
      3,
      '"namespace-a" appears twice',
    ],
    [
      "an unterminated string",
      `var edgekv_access_tokens = {\n  "namespace-a": { "name": "t,\n}\n${EXPORT}`,
      2,
      'expected a closing " for the string',
    ],
    [
      "an unterminated comment",
      `/* header\n\nvar edgekv_access_tokens = {}\n${EXPORT}`,
      1,
      "`*/` closing the comment",
    ],
    [
      "an octal escape",
      `var edgekv_access_tokens = {\n  "namespace-a": { "name": "\\1", "value": "v" } }\n${EXPORT}`,
      2,
      "octal",
    ],
    [
      "text after the export",
      `var edgekv_access_tokens = {}\n${EXPORT}\nconsole.log(edgekv_access_tokens);`,
      3,
      'expected the end of the file, found "console"',
    ],
    [
      "an export const plus an export statement",
      `export const edgekv_access_tokens = {};\n${EXPORT}`,
      2,
      'expected the end of the file, found "export"',
    ],
    ["a CommonJS module", "module.exports = { edgekv_access_tokens: {} };", 1, 'found "module"'],
  ])("%s, naming the line", (_case, text, line, message) => {
    let thrown: unknown;
    try {
      parseTokensFile(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TokensFileError);
    expect(thrown).toMatchObject({ line, message: expect.stringContaining(`line ${line}: `) });
    expect((thrown as TokensFileError).message).toContain(message);
  });
});
