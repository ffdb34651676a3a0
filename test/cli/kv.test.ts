import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { oneLine } from "./cli-server.ts";
import { cliHarness, tokenCreateArgs } from "./in-process.ts";

const TRACE = "trace id [0-9a-f]{16}";
const settings = { activationDelaySeconds: 0 };

// `edgekv namespace|item|group` in-process against the app's §4 endpoints, a fresh harness per test.
describe.concurrent("edgekv namespace, item and group", () => {
  it("creates a namespace on both networks, lists, shows and updates it, and grants a token on it", async (t) => {
    const s = await cliHarness(t, { settings });
    for (const network of ["staging", "production"]) {
      const created = await s.cli(["namespace", "create", network, "products", "--retention", "30"]);
      expect(created.stderr).toBe(s.hostLine);
      expect(created.stdout).toMatch(new RegExp(`^Created namespace products on ${network}\\.\\n`));
      expect(created.stdout).toMatch(/^Retention:\s+30 days$/m);
    }
    const listed = await s.cli(["namespace", "list", "staging", "--details"]);
    expect(listed.stdout).toMatch(/^NAMESPACE\s+RETENTION\s+GEO LOCATION\s+GROUP ID\n/);
    expect(listed.stdout).toMatch(/^products\s+30 days\s+US\s+0$/m);

    const updated = await s.cli([
      "namespace",
      "update",
      "staging",
      "products",
      "--retention",
      "90",
      "--json",
    ]);
    expect(updated.stderr).toBe("");
    expect(JSON.parse(updated.stdout)).toMatchObject({
      namespace: "products",
      retentionInSeconds: 90 * 86_400,
    });

    const token = await s.cli([
      ...tokenCreateArgs("shop", { production: "allow", namespace: "products+rw,default+r" }),
      "--json",
    ]);
    expect(token.stderr).toBe("");
    expect(JSON.parse(token.stdout).namespacePermissions).toEqual({ products: ["r", "w"], default: ["r"] });
  });

  it("writes, reads, lists and deletes items, and lists groups", async (t) => {
    const s = await cliHarness(t, { settings });
    const text = await s.cli(["item", "write", "staging", "default", "colours", "blue", "just text"]);
    expect(text.stderr).toBe(s.hostLine);
    expect(text.stdout).toBe("Wrote item blue in group colours of namespace default on staging.\n");
    const file = join(s.dir, "red.json");
    writeFileSync(file, '{"hex":"#f00"}');
    const json = await s.cli([
      "item",
      "write",
      "staging",
      "default",
      "colours",
      "red",
      "--jsonfile",
      file,
      "--json",
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      network: "staging",
      item: "red",
      message: expect.any(String),
    });

    const read = await s.cli(["item", "read", "staging", "default", "colours", "red", "--json"]);
    expect(JSON.parse(read.stdout)).toEqual({ hex: "#f00" });
    const raw = await s.cli(["item", "read", "staging", "default", "colours", "blue"]);
    expect(raw.stdout).toBe("just text\n");

    const table = await s.cli(["item", "list", "staging", "default", "colours"]);
    expect(table.stdout).toMatch(/^ITEM\nblue\nred\n\n2 items\.\n$/);
    const groups = await s.cli(["group", "list", "staging", "default"]);
    expect(groups.stdout).toMatch(/^GROUP\ncolours\n/);

    const deleted = await s.cli(["item", "delete", "staging", "default", "colours", "red"]);
    expect(deleted.stdout).toBe("Deleted item red in group colours of namespace default on staging.\n");
    const missing = await s.cli(["item", "read", "staging", "default", "colours", "red"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(oneLine(`.* \\(EKV_9000, ${TRACE}\\)`, s.hostLine));
  });

  it("deletes a namespace, scheduled or at once", async (t) => {
    const s = await cliHarness(t, { settings });
    await s.cli(["namespace", "create", "staging", "doomed", "--retention", "0"]);
    await s.cli(["namespace", "create", "production", "doomed", "--retention", "0"]);
    const scheduled = await s.cli(["namespace", "delete", "staging", "doomed"]);
    expect(scheduled.stdout).toMatch(/^Namespace doomed on staging is scheduled for deletion at \d{4}-/);
    const now = await s.cli(["namespace", "delete", "production", "doomed", "--sync"]);
    expect(now.stdout).toBe("Deleted namespace doomed on production.\n");
    const gone = await s.cli(["namespace", "list", "production", "--json"]);
    expect(JSON.parse(gone.stdout).namespaces).not.toContainEqual({ namespace: "doomed" });
  });

  it.for([
    [["namespace", "list", "moon"], 'The network must be staging or production, not "moon"\\.'],
    [
      ["namespace", "update", "staging", "x"],
      "Nothing to change: give --retention, --groupId or --geoLocation\\.",
    ],
    [
      ["item", "write", "staging", "default", "g", "k"],
      "Give the value either as an argument or with --jsonfile .*",
    ],
  ] as const)("refuses %j before sending anything", async ([args, message], t) => {
    const s = await cliHarness(t, { settings });
    const result = await s.cli(args);
    expect(result.stderr).toMatch(oneLine(message));
    expect(result.code).toBe(1);
    expect(s.sent).toEqual([]);
  });
});
