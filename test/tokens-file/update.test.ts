import { describe, expect, it } from "vitest";
import {
  parseTokensFile,
  renderTokensFile,
  TokensFileError,
  updateTokensFile,
} from "../../src/tokens-file/index.ts";
import { akamaiCliWrite, enhancedToken, JWT, legacyToken, OTHER_UUID, UUID } from "./support.ts";

const MINE = { name: "my_token", reference: UUID };
const OTHERS = { name: "other_token", reference: OTHER_UUID };

describe("updateTokensFile", () => {
  it.each([
    ["absent", undefined],
    ["blank", "  \n"],
  ])("creates the file when it is %s", (_case, existing) => {
    const update = updateTokensFile({
      existing,
      token: enhancedToken({ namespacePermissions: { default: ["r"], other: ["r"] } }),
      overwrite: false,
    });
    expect(update.added).toEqual(["namespace-default", "namespace-other"]);
    expect(update.text).toBe(renderTokensFile({ "namespace-default": MINE, "namespace-other": MINE }));
  });

  it("adds its entries and keeps other namespaces' entries", () => {
    const existing = renderTokensFile({
      "namespace-keep": OTHERS,
      "namespace-zzz": { name: "z", value: JWT },
    });
    const update = updateTokensFile({ existing, token: enhancedToken(), overwrite: false });
    expect(update).toMatchObject({ added: ["namespace-default"], replaced: [], unchanged: [], migrated: [] });
    expect(parseTokensFile(update.text)).toEqual({
      "namespace-default": MINE,
      "namespace-keep": OTHERS,
      "namespace-zzz": { name: "z", value: JWT },
    });
  });

  it.each([
    [
      "another token",
      { name: "other_token", reference: OTHER_UUID },
      enhancedToken(),
      'namespace-default already holds token "other_token"; pass --overwrite to replace it',
    ],
    [
      "another reference for the same token name",
      { name: "my_token", reference: OTHER_UUID },
      enhancedToken(),
      'namespace-default already holds token "my_token" with a different reference; pass --overwrite to replace it',
    ],
    [
      "another value for the same legacy token name",
      { name: "legacy_token", value: "old.jwt.value" },
      legacyToken(),
      'namespace-default already holds token "legacy_token" with a different value; pass --overwrite to replace it',
    ],
    [
      "a legacy value where the token is now enhanced",
      { name: "my_token", value: JWT },
      enhancedToken(),
      'namespace-default already holds token "my_token" as a legacy value; pass --overwrite to replace it',
    ],
  ])(
    "refuses to replace %s without overwrite, and replaces it with overwrite",
    (_case, held, token, message) => {
      const existing = renderTokensFile({ "namespace-default": held, "namespace-keep": OTHERS });
      expect(() => updateTokensFile({ existing, token, overwrite: false })).toThrow(
        new TokensFileError(message),
      );
      const update = updateTokensFile({ existing, token, overwrite: true });
      expect(update).toMatchObject({ added: [], replaced: ["namespace-default"], unchanged: [] });
      expect(parseTokensFile(update.text)).toEqual({
        "namespace-default": token.kind === "enhanced" ? MINE : { name: "legacy_token", value: JWT },
        "namespace-keep": OTHERS,
      });
    },
  );

  it("names every conflicting namespace at once", () => {
    const existing = renderTokensFile({ "namespace-a": OTHERS, "namespace-b": OTHERS });
    const token = enhancedToken({ namespacePermissions: { a: ["r"], b: ["r"], c: ["r"] } });
    expect(() => updateTokensFile({ existing, token, overwrite: false })).toThrow(
      'namespace-a already holds token "other_token"; namespace-b already holds token "other_token"; ' +
        "pass --overwrite to replace them",
    );
  });

  it("reports identical entries as unchanged and returns the file untouched, comments included", () => {
    const existing = `// mine\nvar edgekv_access_tokens = { "namespace-default": { name: 'my_token', reference: '${UUID}' } }\nexport { edgekv_access_tokens };`;
    for (const overwrite of [false, true]) {
      expect(updateTokensFile({ existing, token: enhancedToken(), overwrite })).toEqual({
        text: existing,
        added: [],
        replaced: [],
        unchanged: ["namespace-default"],
        migrated: [],
      });
    }
  });

  it("sorts out a mix of added, replaced and unchanged entries", () => {
    const existing = renderTokensFile({ "namespace-a": MINE, "namespace-b": OTHERS });
    const token = enhancedToken({ namespacePermissions: { a: ["r"], b: ["r"], c: ["r"] } });
    const update = updateTokensFile({ existing, token, overwrite: true });
    expect(update).toMatchObject({
      added: ["namespace-c"],
      replaced: ["namespace-b"],
      unchanged: ["namespace-a"],
    });
    expect(parseTokensFile(update.text)).toEqual({
      "namespace-a": MINE,
      "namespace-b": MINE,
      "namespace-c": MINE,
    });
  });

  it("migrates bare namespace keys written by Akamai's CLI, its own and others'", () => {
    const existing = akamaiCliWrite({ default: MINE, shop: OTHERS });
    const update = updateTokensFile({ existing, token: enhancedToken(), overwrite: false });
    expect(update).toMatchObject({
      added: [],
      unchanged: ["namespace-default"],
      migrated: ["default", "shop"],
    });
    expect(update.text).toBe(renderTokensFile({ "namespace-default": MINE, "namespace-shop": OTHERS }));
  });

  it("treats a bare key as its prefixed namespace when deciding on conflicts", () => {
    const existing = akamaiCliWrite({ default: OTHERS });
    expect(() => updateTokensFile({ existing, token: enhancedToken(), overwrite: false })).toThrow(
      'namespace-default already holds token "other_token"',
    );
    const update = updateTokensFile({ existing, token: enhancedToken(), overwrite: true });
    expect(update).toMatchObject({ replaced: ["namespace-default"], migrated: ["default"] });
    expect(parseTokensFile(update.text)).toEqual({ "namespace-default": MINE });
  });

  it("merges a bare key into an identical prefixed one, and refuses when they differ", () => {
    const same = akamaiCliWrite({ default: OTHERS, "namespace-default": OTHERS });
    const update = updateTokensFile({
      existing: same,
      token: enhancedToken({ namespacePermissions: {} }),
      overwrite: false,
    });
    expect(update).toMatchObject({ migrated: ["default"] });
    expect(parseTokensFile(update.text)).toEqual({ "namespace-default": OTHERS });

    const different = akamaiCliWrite({ default: MINE, "namespace-default": OTHERS });
    expect(() => updateTokensFile({ existing: different, token: enhancedToken(), overwrite: true })).toThrow(
      'edgekv.js reads only "namespace-default", so delete the "default" entry',
    );
  });

  it("leaves keys that cannot be namespace names alone", () => {
    const existing = renderTokensFile({ "not a namespace": OTHERS });
    const update = updateTokensFile({ existing, token: enhancedToken(), overwrite: false });
    expect(update.migrated).toEqual([]);
    expect(parseTokensFile(update.text)).toEqual({ "namespace-default": MINE, "not a namespace": OTHERS });
  });

  it("passes parse errors on", () => {
    expect(() => updateTokensFile({ existing: "garbage", token: enhancedToken(), overwrite: true })).toThrow(
      TokensFileError,
    );
  });
});
