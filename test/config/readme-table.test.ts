import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderConfigTable, TABLE_END, TABLE_START, withConfigTable } from "../../src/config/readme-table.ts";

const README = join(import.meta.dirname, "../../README.md");

describe("README configuration table", () => {
  it("is what the settings declaration renders", () => {
    const readme = readFileSync(README, "utf8");
    expect(
      withConfigTable(readme),
      "README.md's configuration table is stale: run `npm run readme:config`",
    ).toBe(readme);
  });

  it("replaces only what lies between the markers", () => {
    const readme = `# Title\n\nProse.\n\n${TABLE_START}\nold table\n${TABLE_END}\n\nMore prose.\n`;
    expect(withConfigTable(readme)).toBe(
      `# Title\n\nProse.\n\n${TABLE_START}\n${renderConfigTable()}\n${TABLE_END}\n\nMore prose.\n`,
    );
  });

  it("refuses a README without the markers", () => {
    expect(() => withConfigTable("# no table here\n")).toThrow(/config-table:start/);
  });
});
