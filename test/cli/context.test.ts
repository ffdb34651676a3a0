import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { interruptOn, processContext } from "../../src/cli/context.ts";
import { oneLine, writeEdgerc } from "./cli-server.ts";
import { runEdgekv } from "./in-process.ts";

// Commander fills --edgerc from AKAMAI_EDGERC in process.env by itself; the context's env must win.
describe("the CLI context", () => {
  const fromProcess = "/from/process/edgerc";
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.AKAMAI_EDGERC;
    process.env.AKAMAI_EDGERC = fromProcess;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.AKAMAI_EDGERC;
    else process.env.AKAMAI_EDGERC = saved;
  });

  it("fills options from the context's environment instead of the process's", async () => {
    const result = await runEdgekv(["token", "list"], { env: { AKAMAI_EDGERC: "/from/context/edgerc" } });
    expect(result.stderr).toMatch(
      oneLine("Cannot read the \\.edgerc file /from/context/edgerc \\(ENOENT\\)\\..*"),
    );
    expect(result.code).toBe(1);
  });

  it("lets the command line win over the context's environment", async () => {
    const result = await runEdgekv(["token", "list", "--edgerc", "/from/cli/edgerc"], {
      env: { AKAMAI_EDGERC: "/from/context/edgerc" },
    });
    expect(result.stderr).toMatch(
      oneLine("Cannot read the \\.edgerc file /from/cli/edgerc \\(ENOENT\\)\\..*"),
    );
  });

  it("ignores a variable that only the process has", async () => {
    const result = await runEdgekv(["token", "list"], { env: {} });
    expect(result.stderr).not.toContain(fromProcess);
  });

  it("reports a bug with its stack and exit code 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edgekv-context-"));
    const edgerc = writeEdgerc(join(dir, "edgerc"), "edgekv.test");
    const result = await runEdgekv(["token", "list", "--edgerc", edgerc], {
      transport: async () => {
        throw new TypeError("a bug in a transport");
      },
    });
    rmSync(dir, { recursive: true, force: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^edgekv: using https://edgekv\\.test \\(${edgerc} \\[default\\]\\)\\n` +
          "edgekv: unexpected error \\(a bug; please report it\\)\\nTypeError: a bug in a transport\\n {4}at ",
      ),
    );
  });
});

describe("Ctrl-C for a command that runs until stopped", () => {
  it("aborts on the first SIGINT while listened to, and gives SIGINT back when stopped", () => {
    const target = new EventEmitter();
    const interruption = interruptOn(target);
    expect(target.listenerCount("SIGINT")).toBe(1);
    target.emit("SIGINT");
    expect(interruption.signal.aborted).toBe(true);
    // Gone after the first: a second Ctrl-C gets Node's default and ends the process.
    expect(target.listenerCount("SIGINT")).toBe(0);

    const unused = interruptOn(target);
    unused.stop();
    expect(target.listenerCount("SIGINT")).toBe(0);
    expect(unused.signal.aborted).toBe(false);
  });

  it("cuts a pause short, without an error, once aborted", async () => {
    const controller = new AbortController();
    const started = performance.now();
    const paused = processContext().sleep(60_000, controller.signal);
    controller.abort();
    await paused;
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
