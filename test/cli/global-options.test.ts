import { describe, expect, it } from "vitest";
import { hoistConnectionOptions } from "../../src/cli/global-options.ts";

const run = (...words: string[]) => hoistConnectionOptions(["node", "edgekv", ...words]).slice(2);

describe("connection options before the command", () => {
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
    [["--version"], ["--version"]],
    [[], []],
  ])("%j runs as %j", (words, expected) => {
    expect(run(...words)).toEqual(expected);
  });
});
