import type { Option } from "commander";
import { describe, expect, it } from "vitest";
import { localStoreOptions } from "../../src/cli/local-store.ts";
import { serveCommand } from "../../src/cli/serve.ts";
import { SETTINGS } from "../../src/config/settings.ts";

const settings = Object.entries(SETTINGS);
const helpOf = (command: ReturnType<typeof serveCommand>) => {
  let text = "";
  command.configureOutput({ writeOut: (chunk) => (text += chunk) });
  command.outputHelp();
  return text;
};

describe("the settings declaration", () => {
  it("gives every setting but a secret a flag, and every one its own EDGEKV_ variable", () => {
    for (const [key, setting] of settings) {
      expect(setting.flag !== undefined || setting.secret === true, key).toBe(true);
      expect(setting.env, key).toMatch(/^EDGEKV_[A-Z_]+$/);
    }
    const envs = settings.map(([, setting]) => setting.env);
    const flags = settings.flatMap(([, setting]) => setting.flag?.split(" ")[0] ?? []);
    expect(new Set(envs).size).toBe(envs.length);
    expect(new Set(flags).size).toBe(flags.length);
  });

  it("keeps secrets off the command line", () => {
    expect(SETTINGS.secretKey.flag).toBeUndefined();
    expect(helpOf(serveCommand())).not.toMatch(/--secret/);
  });

  it("lists every flag and variable in `edgekv serve --help`", () => {
    const help = helpOf(serveCommand());
    for (const [, setting] of settings.filter(([, setting]) => setting.flag !== undefined)) {
      expect(help).toContain(setting.flag);
      expect(help).toContain(setting.env);
    }
    expect(help).toContain("postgres://");
  });

  it("gives the credentials commands the same --data-dir and --database", () => {
    const described = (option: Option) => [option.flags, option.envVar, option.defaultValue];
    expect(localStoreOptions().map(described)).toEqual([
      ["--data-dir <dir>", "EDGEKV_DATA_DIR", ".edgekv"],
      ["--database <location>", "EDGEKV_DATABASE", undefined],
    ]);
    expect(localStoreOptions()[1]?.description).toContain("postgres://");
  });
});
