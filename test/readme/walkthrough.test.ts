// `npm run test:readme`: a newcomer follows the README top to bottom. Every block it marks as part of
// the walkthrough runs in order in one shell, in a fresh directory laid out like a checkout, against
// a server started as `npm start` starts it; files it marks are written where they appear.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const REPO = join(import.meta.dirname, "..", "..");

type Step = { kind: "sh"; text: string } | { kind: "file"; name: string; text: string };

/** The README's `<!-- walkthrough -->` shell blocks and `<!-- walkthrough-file: name -->` files, in order. */
function walkthroughSteps(readme: string): Step[] {
  const steps: Step[] = [];
  const pattern = /<!-- walkthrough(?:-file: (\S+))? -->\n```\w*\n([\s\S]*?)```/g;
  for (const [, name, text = ""] of readme.matchAll(pattern)) {
    steps.push(name === undefined ? { kind: "sh", text } : { kind: "file", name, text });
  }
  return steps;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });

/** Runs a bash script to its end; resolves with what it printed and how it ended. */
function bash(script: string, cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn("bash", ["-c", script], { cwd, env: { ...process.env, ...env } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/** A heredoc that writes `text` to `name`, with a delimiter the text cannot contain. */
const writeStep = (name: string, text: string) =>
  `cat > ${JSON.stringify(name)} <<'README_FILE_END'\n${text}README_FILE_END`;

describe("the README walkthrough", () => {
  let dir = "";
  afterAll(async () => {
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it("runs as written, block after block", async () => {
    const steps = walkthroughSteps(await readFile(join(REPO, "README.md"), "utf8"));
    expect(steps.filter((step) => step.kind === "sh").length).toBeGreaterThan(5);
    dir = await mkdtemp(join(tmpdir(), "edgekv-readme-"));
    // A checkout after `npm install`: what the README's commands read (docs/) and run (bin/, dist/).
    for (const name of ["bin", "dist", "docs", "node_modules", "package.json"]) {
      await symlink(join(REPO, name), join(dir, name));
    }
    const port = await freePort();
    const binary = JSON.stringify(join(REPO, "bin", "edgekv.js"));
    const prelude = [
      "set -euo pipefail",
      // `npx edgekv` in a checkout runs its own binary; npx itself would look at the registry here.
      `npx() { if [ "$1" = edgekv ]; then shift; node ${binary} "$@"; else command npx "$@"; fi; }`,
      // `npm start`, in a terminal of its own; here in the background until the script ends.
      `node ${binary} serve --port ${port} > server.log 2>&1 &`,
      "SERVER=$!",
      "trap 'kill $SERVER 2>/dev/null || true' EXIT",
      "for _ in $(seq 1 200); do grep -q 'is ready at' server.log && break; sleep 0.1; done",
      "grep -q 'is ready at' server.log || { cat server.log; exit 1; }",
    ];
    const script = [
      ...prelude,
      ...steps.map((step, index) =>
        step.kind === "sh"
          ? `echo "### block ${index + 1}"\n${step.text}`
          : `echo "### file ${step.name}"\n${writeStep(step.name, step.text)}`,
      ),
    ].join("\n");
    await writeFile(join(dir, "walkthrough.sh"), script);
    // HOME: no ~/.edgerc of the machine's; EDGEKV_PORT: the host `credentials create` writes.
    const result = await bash(script, dir, { HOME: dir, EDGEKV_PORT: String(port) });
    expect(result.code, result.output).toBe(0);
    // A refused command prints `edgekv: <what went wrong>`. The others are the host line and `edgekv
    // env` noting that it replaces a NODE_EXTRA_CA_CERTS this machine set.
    const notes = /^edgekv: (using https:|NODE_EXTRA_CA_CERTS was )/;
    const complaints = result.output
      .split("\n")
      .filter((line) => line.startsWith("edgekv: ") && !notes.test(line));
    expect(complaints, result.output).toEqual([]);
  }, 240_000);
});
