import { describe, expect, it } from "vitest";
import { emptyRow, type TokenForm, tokenFormFields, tokenRequest } from "../../console/src/lib/token-form.ts";
import {
  countByStatus,
  filterTokens,
  type ListedToken,
  listingKey,
  modelOf,
  permissionLetters,
  statusOf,
} from "../../console/src/lib/tokens.ts";

const NOW = Date.parse("2026-03-10T12:00:00Z");
const token = (name: string, change: Partial<ListedToken> = {}): ListedToken => ({
  name,
  uuid: `uuid-${name}`,
  expiry: "9999-12-31",
  tokenActivationStatus: "COMPLETE",
  issueDate: "2026-03-01",
  latestRefreshDate: null,
  nextScheduledRefreshDate: "2026-03-15",
  ...change,
});

describe("token status and model", () => {
  it.each([
    ["an enhanced token", token("a"), "enhanced", "COMPLETE"],
    ["a legacy token to its last day", token("b", { expiry: "2026-03-10" }), "legacy", "COMPLETE"],
    ["a legacy token past its day", token("c", { expiry: "2026-03-09" }), "legacy", "EXPIRED"],
    [
      "a token being activated",
      token("d", { tokenActivationStatus: "IN_PROGRESS" }),
      "enhanced",
      "IN_PROGRESS",
    ],
  ])("%s", (_case, listed, model, status) => {
    expect(modelOf(listed)).toBe(model);
    expect(statusOf(listed, NOW)).toBe(status);
  });

  it("counts tokens by what their badges say", () => {
    const list = [
      token("a"),
      token("b", { expiry: "2026-03-01" }),
      token("c", { tokenActivationStatus: "ERROR" }),
    ];
    expect(countByStatus(list, NOW)).toEqual({ IN_PROGRESS: 0, COMPLETE: 1, ERROR: 1, EXPIRED: 1 });
  });
});

describe("filterTokens", () => {
  const list = [token("storefront"), token("Store_old", { expiry: "2026-02-01" }), token("api")];

  it("keeps names containing the text, any case, sorted; expired ones only when asked", () => {
    expect(filterTokens(list, { name: "STORE", includeExpired: false }, NOW).map((t) => t.name)).toEqual([
      "storefront",
    ]);
    expect(filterTokens(list, { name: " store ", includeExpired: true }, NOW).map((t) => t.name)).toEqual([
      "Store_old",
      "storefront",
    ]);
    expect(filterTokens(list, { name: "", includeExpired: false }, NOW)).toHaveLength(2);
  });
});

it.each([
  [["r", "w", "d"], "rwd"],
  [["d", "r"], "r-d"],
  [[], "---"],
])("permissionLetters(%j) is %s", (permissions, letters) => {
  expect(permissionLetters(permissions)).toBe(letters);
});

it("listingKey changes with what a row shows", () => {
  const base = token("a");
  expect(listingKey(base)).toBe(listingKey({ ...base }));
  expect(listingKey(base)).not.toBe(listingKey({ ...base, tokenActivationStatus: "IN_PROGRESS" }));
  expect(listingKey(base)).not.toBe(listingKey({ ...base, latestRefreshDate: "2026-03-10" }));
});

describe("tokenRequest", () => {
  const form: TokenForm = {
    name: " my_token ",
    allowOnStaging: true,
    allowOnProduction: false,
    namespaces: [
      { namespace: "default", r: true, w: true, d: false },
      emptyRow(""),
      { namespace: "", r: false, w: false, d: false },
      { namespace: "empty", r: false, w: false, d: false },
    ],
    edgeWorkerIds: "12, 34 56",
    expiry: "",
  };

  it("sends what was typed, a blank row left out, so the server judges it", () => {
    expect(tokenRequest(form)).toEqual({
      name: "my_token",
      allowOnStaging: true,
      allowOnProduction: false,
      namespacePermissions: { default: ["r", "w"], "": ["r"], empty: [] },
      restrictToEdgeWorkerIds: ["12", "34", "56"],
    });
  });

  it("adds an expiry only when one is given", () => {
    expect(tokenRequest({ ...form, edgeWorkerIds: "", expiry: "2026-04-01" })).toMatchObject({
      expiry: "2026-04-01",
    });
    expect(tokenRequest({ ...form, edgeWorkerIds: "" })).not.toHaveProperty("restrictToEdgeWorkerIds");
  });

  it("offers one field per namespace row for errors", () => {
    expect(tokenFormFields(form)).toContain("namespacePermissions.default");
    expect(tokenFormFields(form)).toContain("name");
  });
});
