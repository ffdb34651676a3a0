import { describe, expect, it } from "vitest";
import { oneLine } from "./cli-server.ts";
import { cliHarness, tokenCreateArgs } from "./in-process.ts";

// A server whose clock moves only when told and whose every activation fails: --wait must give up
// after --timeout while the clock stands still, and report ERROR once activation has ended.
describe("edgekv token --wait", () => {
  it("polls every 500 ms through IN_PROGRESS until COMPLETE, the server clock moving with each pause", async (t) => {
    const s = await cliHarness(t, { settings: { activationDelaySeconds: 2 } });
    const started = s.harness.clock.now().getTime();
    const created = await s.cli([...tokenCreateArgs("patient"), "--wait"]);
    expect(created.stderr).toBe(s.hostLine);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Activation status:\s+COMPLETE$/m);
    expect(s.sent.map(({ method, target }) => `${method} ${target}`)).toEqual([
      "POST /edgekv/v1/tokens",
      ...Array(4).fill("GET /edgekv/v1/tokens/patient"),
    ]);
    expect(s.harness.clock.now().getTime() - started).toBe(2_000);
  });

  it("times out with a message while the activation is IN_PROGRESS, then reports ERROR", async (t) => {
    const s = await cliHarness(t, {
      settings: { activationFailureRate: 1 },
      serverClockFollowsWait: false,
      // The test moves the server's clock a minute ahead of the real time the CLI signs with.
      maxSkewSeconds: null,
    });
    const waited = await s.cli([
      ...tokenCreateArgs("doomed", { production: "allow" }),
      "--wait",
      "--timeout",
      "1",
      "--json",
    ]);
    expect(waited.code).toBe(1);
    expect(waited.stdout).toBe("");
    // Its clock stood still while the CLI waited: the server says its time, so the CLI can say why.
    expect(waited.stderr).toMatch(
      oneLine(
        "Token doomed is still IN_PROGRESS after 1 s, and the server's clock has not moved meanwhile: it runs with " +
          "--clock manual and activates tokens only when its clock moves\\. Move it past the activation delay, " +
          "e\\.g\\. edgekv clock advance 1m, then: edgekv token show doomed",
      ),
    );

    const moved = await s.cli(["clock", "advance", "1m"]);
    expect(moved.code).toBe(0);

    const failed = await s.cli(["token", "show", "doomed", "--wait"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      oneLine(
        "Activation of token doomed ended in ERROR\\. Try again with: edgekv token refresh doomed --wait",
        s.hostLine,
      ),
    );
    const listed = await s.cli(["token", "list"]);
    expect(listed.stdout).toMatch(/^doomed\s+ERROR\s/m);
  });

  it("times out as before on a clock that moves on its own", async (t) => {
    const s = await cliHarness(t, { settings: { activationDelaySeconds: 3_600 } });
    const waited = await s.cli([
      "token",
      "create",
      "slow",
      ...["--staging", "allow", "--production", "deny"],
      ...["--ewids", "all", "--namespace", "default+r", "--wait", "--timeout", "1"],
    ]);
    expect(waited.code).toBe(1);
    expect(waited.stderr).toMatch(
      oneLine(
        "Token slow is still IN_PROGRESS after 1 s\\. Check later with: edgekv token show slow \\(a server started with --clock manual .*\\)\\.",
        s.hostLine,
      ),
    );
  });
});
