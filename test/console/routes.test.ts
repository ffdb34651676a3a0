import { describe, expect, it } from "vitest";
import { hrefOf, loginKeyOf, parseRoute, type Route } from "../../console/src/lib/routes.ts";

describe("parseRoute", () => {
  it.each<[string, Route]>([
    ["", { page: "overview" }],
    ["#/", { page: "overview" }],
    ["#/tokens", { page: "tokens" }],
    ["#/tokens/", { page: "tokens" }],
    ["#/tokens/my_token", { page: "token", name: "my_token" }],
    ["#/create-token", { page: "token-create" }],
    ["#/namespaces", { page: "namespaces", network: null }],
    ["#/namespaces/production", { page: "namespaces", network: "production" }],
    ["#/namespaces/staging/default", { page: "namespace", network: "staging", namespace: "default" }],
    [
      "#/namespaces/staging/default/config",
      { page: "group", network: "staging", namespace: "default", group: "config" },
    ],
    [
      "#/namespaces/staging/default/config/flags",
      { page: "item", network: "staging", namespace: "default", group: "config", item: "flags" },
    ],
    ["#/credentials", { page: "credentials" }],
    ["#/audit", { page: "audit" }],
    ["#/namespaces/edge/default", { page: "not-found", path: "/namespaces/edge/default" }],
    ["#/tokens/a/b", { page: "not-found", path: "/tokens/a/b" }],
    ["#/namespaces/staging/a/b/c/d", { page: "not-found", path: "/namespaces/staging/a/b/c/d" }],
    ["#/tokens/%E0%A4%A", { page: "not-found", path: "/tokens/%E0%A4%A" }],
    ["#/elsewhere", { page: "not-found", path: "/elsewhere" }],
  ])("%s is %j", (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it.each<Route>([
    { page: "overview" },
    { page: "token", name: "a-b_c" },
    { page: "token-create" },
    { page: "namespaces", network: "staging" },
    { page: "item", network: "production", namespace: "ns", group: "g 1", item: "k/1" },
    { page: "audit" },
  ])("reads back what hrefOf writes: %j", (route) => {
    expect(parseRoute(hrefOf(route))).toEqual(route);
  });
});

describe("loginKeyOf", () => {
  it.each([
    ["#key=abc_DEF-123", "abc_DEF-123"],
    ["#key=", null],
    ["#/tokens", null],
    ["", null],
  ])("%s holds %s", (hash, key) => {
    expect(loginKeyOf(hash)).toBe(key);
  });
});
