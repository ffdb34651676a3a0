import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliServer, oneLine, startCliServer } from "./cli-server.ts";

// A server whose clock moves only when told and whose every activation fails: --wait must give up
// after --timeout while the clock stands still, and report ERROR once activation has ended.
describe("edgekv token --wait", { timeout: 60_000 }, () => {
  let s: CliServer;
  beforeAll(async () => {
    s = await startCliServer(["--clock", "manual", "--activation-failure-rate", "1"]);
  });
  afterAll(async () => {
    await s?.close();
  });

  it("times out with a message while the activation is IN_PROGRESS, then reports ERROR", async () => {
    const waited = await s.cli([
      "token",
      "create",
      "doomed",
      "--staging",
      "allow",
      "--production",
      "allow",
      "--ewids",
      "all",
      "--namespace",
      "default+r",
      "--wait",
      "--timeout",
      "1",
      "--json",
    ]);
    expect(waited.code).toBe(1);
    expect(waited.stdout).toBe("");
    expect(waited.stderr).toMatch(
      oneLine("Token doomed is still IN_PROGRESS after 1 s\\. Check later with: edgekv token show doomed .*"),
    );

    const moved = await s.cli(["request", "POST", "/_edgekv/v1/clock", "--data", '{"advanceSeconds": 60}']);
    expect(moved.code).toBe(0);

    const failed = await s.cli(["token", "show", "doomed", "--wait"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      oneLine(
        "Activation of token doomed ended in ERROR\\. Try again with: edgekv token refresh doomed --wait",
      ),
    );
    const listed = await s.cli(["token", "list"]);
    expect(listed.stdout).toMatch(/^doomed\s+ERROR\s/m);
  });
});
