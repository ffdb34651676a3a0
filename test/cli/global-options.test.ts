import { describe, expect, it } from "vitest";
import { hoistConnectionOptions } from "../../src/cli/global-options.ts";

const run = (...words: string[]) => hoistConnectionOptions(["node", "edgekv", ...words]).slice(2);

describe("connection options before the command, and the official spellings", () => {
  it.each([
    [
      ["--edgerc", "f", "token", "list"],
      ["token", "list", "--edgerc", "f"],
    ],
    [
      ["--section=s", "--json", "token", "show", "t"],
      ["token", "show", "t", "--section=s", "--json"],
    ],
    [
      ["--ca-cert", "c.pem", "--accountkey", "a", "item", "read", "x"],
      ["item", "read", "x", "--ca-cert", "c.pem", "--accountkey", "a"],
    ],
    [
      ["token", "list", "--edgerc", "f"],
      ["token", "list", "--edgerc", "f"],
    ],
    [
      ["--edgerc", "f", "serve"],
      ["--edgerc", "f", "serve"],
    ],
    [
      ["--jsonout", "--timeout", "30", "l", "tkn"],
      ["l", "tkn", "--jsonout", "--timeout", "30"],
    ],
    [
      ["--section", "s", "--json", "list", "tokens"],
      ["list", "tokens", "--section", "s", "--json"],
    ],
    [
      ["--json", "out/", "create", "ns", "staging", "x"],
      ["create", "ns", "staging", "x", "--json-file", "out/"],
    ],
    [
      ["list", "ns", "staging", "--json", "ns.json", "-d"],
      ["list", "ns", "staging", "--json-file", "ns.json", "-d"],
    ],
    [
      ["show", "ns", "staging", "x", "--json=result"],
      ["show", "ns", "staging", "x", "--json-file", "result"],
    ],
    [
      ["token", "show", "--json", "my_token"],
      ["token", "show", "--json", "my_token"],
    ],
    [
      ["list", "auth-groups", "-incewg"],
      ["list", "auth-groups", "--include_ew_groups"],
    ],
    [
      ["item", "write", "staging", "ns", "g", "k", "--", "--json", "a/b"],
      ["item", "write", "staging", "ns", "g", "k", "--", "--json", "a/b"],
    ],
    [["--version"], ["--version"]],
    [[], []],
  ])("%j runs as %j", (words, expected) => {
    expect(run(...words)).toEqual(expected);
  });
});
