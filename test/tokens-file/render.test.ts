import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  parseTokensFile,
  renderTokensFile,
  tokenFileEntries,
  updateTokensFile,
} from "../../src/tokens-file/index.ts";
import {
  akamaiCliRead,
  enhancedToken,
  importTokensModule,
  JWT,
  legacyToken,
  OTHER_UUID,
  UUID,
} from "./support.ts";

describe("tokenFileEntries", () => {
  it.each([
    ["enhanced", enhancedToken(), { name: "my_token", reference: UUID }],
    ["legacy", legacyToken(), { name: "legacy_token", value: JWT }],
  ])("gives a %s token one entry per namespace, keyed namespace-<ns>", (_kind, token, entry) => {
    const entries = tokenFileEntries({
      ...token,
      namespacePermissions: { default: ["r"], other: ["r", "w"] },
    });
    expect(entries).toEqual({ "namespace-default": entry, "namespace-other": entry });
  });
});

describe("renderTokensFile", () => {
  it("writes the documented layout, keys sorted, with a trailing newline", () => {
    const text = renderTokensFile({
      "namespace-other": { name: "my_token", reference: OTHER_UUID },
      "namespace-default": { name: "my_token", reference: UUID },
    });
    expect(text).toBe(
      [
        "var edgekv_access_tokens = {",
        `  "namespace-default": { "name": "my_token", "reference": "${UUID}" },`,
        `  "namespace-other": { "name": "my_token", "reference": "${OTHER_UUID}" }`,
        "}",
        "export { edgekv_access_tokens };",
        "",
      ].join("\n"),
    );
  });

  it("writes an empty object when there are no entries", () => {
    expect(renderTokensFile({})).toBe("var edgekv_access_tokens = {\n}\nexport { edgekv_access_tokens };\n");
  });

  it("JSON-quotes strings that need escaping", () => {
    const text = renderTokensFile({ "namespace-x": { name: 'odd "name"\\', value: "a\nb" } });
    expect(parseTokensFile(text)).toEqual({ "namespace-x": { name: 'odd "name"\\', value: "a\nb" } });
  });
});

describe("the rendered file", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "edgekv-tokens-render-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ["enhanced", enhancedToken(), "reference", UUID],
    ["legacy", legacyToken(), "value", JWT],
  ] as const)("is an ES module edgekv.js can read (%s → .%s)", async (kind, token, field, expected) => {
    const file = join(dir, `${kind}-edgekv_tokens.js`);
    await writeFile(file, renderTokensFile(tokenFileEntries(token)));
    const tokens = await importTokensModule(file);
    expect(tokens["namespace-default"]?.[field]).toBe(expected);
    expect(tokens["namespace-default"]?.name).toBe(token.name);
    expect(Object.keys(tokens)).toEqual(["namespace-default"]);
  });

  it.each([
    ["one entry", { "namespace-default": { name: "my_token", reference: UUID } }],
    [
      "several entries of both kinds",
      {
        "namespace-a": { name: "t1", reference: UUID },
        "namespace-b": { name: "t2", value: JWT },
        "namespace-c": { name: "t1", reference: OTHER_UUID },
      },
    ],
    ["no entries", {}],
  ])("is read back by Akamai's CLI reader (%s)", (_case, entries) => {
    expect(akamaiCliRead(renderTokensFile(entries))).toEqual(entries);
  });

  it.each([
    ["enhanced", enhancedToken({ namespacePermissions: { default: ["r"], other: ["w"] } })],
    ["legacy", legacyToken({ namespacePermissions: { default: ["r"], other: ["w"] } })],
  ])("round-trips: render → parse → update with the same %s token changes nothing", (_kind, token) => {
    const text = renderTokensFile(tokenFileEntries(token));
    expect(parseTokensFile(text)).toEqual(tokenFileEntries(token));
    const update = updateTokensFile({ existing: text, token, overwrite: false });
    expect(update).toEqual({
      text,
      added: [],
      replaced: [],
      unchanged: ["namespace-default", "namespace-other"],
      migrated: [],
    });
  });
});
