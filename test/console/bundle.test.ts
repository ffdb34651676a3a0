import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { buildConsole, FIRST_PAGE_BUDGET_BYTES } from "../../console/build.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");

describe("the console build", () => {
  it("keeps the first page (HTML, script, styles) under its gzipped budget", async () => {
    const built = await buildConsole({ write: false });
    const paths = built.files.map((file) => file.path);
    expect(paths).toHaveLength(3);
    expect(paths).toContain("index.html");
    expect(paths.filter((path) => /^assets\/console\.[A-Z0-9]+\.js$/.test(path))).toHaveLength(1);
    expect(paths.filter((path) => /^assets\/console\.[A-Z0-9]+\.css$/.test(path))).toHaveLength(1);
    expect(built.firstPageGzipBytes).toBeLessThan(FIRST_PAGE_BUDGET_BYTES);
  });

  it("points the page at its hashed assets, relative to /_edgekv/console/, and at nothing elsewhere", async () => {
    const built = await buildConsole({ write: false });
    const html = new TextDecoder().decode(built.files.find((file) => file.path === "index.html")?.contents);
    for (const asset of built.files.filter((file) => file.path.startsWith("assets/"))) {
      expect(html).toContain(`"${asset.path}"`);
    }
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/<script>|<style>| style=/);
  });
});

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(join(dir, entry.name))
      : /\.tsx?$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );

/** The console shares a few pure modules of the server; none of them may reach for Node. */
const SHARED = ["src/duration.ts", "src/accounts/model.ts", "src/audit/audit-event.ts"];

it("the console's sources import only preact, each other, and the shared pure modules of src/", () => {
  const source = join(ROOT, "console", "src");
  for (const file of files(source)) {
    for (const [, target = ""] of readFileSync(file, "utf8").matchAll(/from\s+"([^"]+)"/g)) {
      if (target.startsWith(".")) {
        const path = relative(ROOT, resolve(dirname(file), target));
        if (!path.startsWith("console/"))
          expect(SHARED, `${relative(ROOT, file)} imports ${path}`).toContain(path);
      } else {
        expect(target, `${relative(ROOT, file)} imports ${target}`).toMatch(/^preact(\/|$)/);
      }
    }
  }
  for (const shared of SHARED) {
    expect(readFileSync(join(ROOT, shared), "utf8")).not.toMatch(/from\s+"(node:|\.)/);
  }
});
