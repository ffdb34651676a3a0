import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/program.ts";
import { runEdgekv } from "./in-process.ts";

const NOUNS = ["token", "namespace", "item", "group", "auth-group", "db", "init", "status", "audit", "clock"];
/** The official CLI's verbs, whose nouns are the same commands under another name. */
const VERBS = [
  "show",
  "list",
  "create",
  "modify",
  "write",
  "read",
  "delete",
  "download",
  "refresh",
  "revoke",
];

function leaves(command: Command, path: string[] = []): Array<{ path: string[]; command: Command }> {
  const children = command.commands.filter((child) => child.name() !== "help");
  if (children.length === 0) return [{ path, command }];
  return [{ path, command }, ...children.flatMap((child) => leaves(child, [...path, child.name()]))];
}

function helpOf(command: Command): string {
  let text = "";
  command.configureOutput({ writeOut: (chunk) => (text += chunk), writeErr: (chunk) => (text += chunk) });
  command.outputHelp();
  return text;
}

describe("edgekv help", () => {
  const program = buildProgram();
  const commands = [...NOUNS, ...VERBS].flatMap((noun) => {
    const command = program.commands.find((child) => child.name() === noun);
    if (command === undefined) throw new Error(`no command ${noun}`);
    return leaves(command, [noun]);
  });

  it.each(commands.map(({ path, command }) => [path.join(" "), command] as const))(
    "edgekv %s --help ends with an example of itself",
    (path, command) => {
      const help = helpOf(command);
      expect(help).toMatch(/\nExamples?:\n {2}\$ edgekv /);
      expect(help).toContain(`$ edgekv ${path}`);
    },
  );

  it("every API command takes the connection options and --json, and says what --json prints", () => {
    for (const { path, command } of commands.filter(({ command }) => command.commands.length === 0)) {
      const flags = command.options.map((option) => option.long);
      expect(flags, path.join(" ")).toEqual(
        expect.arrayContaining([
          "--edgerc",
          "--section",
          "--accountkey",
          "--ca-cert",
          "--json",
          "--jsonout",
          "--timeout",
        ]),
      );
      expect(helpOf(command)).toContain("stays empty on failure");
    }
  });

  // binary.test.ts checks `edgekv --help` from the real process too.
  it("prints usage and an example", async () => {
    const root = await runEdgekv(["--help"]);
    expect(root.code).toBe(0);
    expect(root.stdout).toMatch(/^Usage: edgekv /);
    expect(root.stdout).toMatch(/^ {2}token\s/m);
    expect(root.stdout).toMatch(/\nExamples:\n/);
    expect(root.stdout).toContain("The official CLI's verb-noun commands work too");
    expect(root.stdout).toMatch(/^ {2}env \[options\] /m);
    const create = await runEdgekv(["token", "create", "--help"]);
    expect(create.code).toBe(0);
    expect(create.stdout).toMatch(/^Usage: edgekv token create \[options\] <name>/);
    expect(create.stdout).toMatch(/\nExample:\n {2}\$ edgekv token create my_token --staging allow /);
  });
});
