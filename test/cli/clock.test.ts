import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Transport } from "../../src/cli/edgegrid-client.ts";
import { systemClock } from "../../src/clock.ts";
import { addDays, utcDate } from "../../src/tokens/dates.ts";
import { TEST_HOST } from "../support/harness.ts";
import { oneLine } from "./cli-server.ts";
import {
  type CliHarness,
  cliHarness,
  edgercText,
  injectTransport,
  runEdgekv,
  tokenCreateArgs,
} from "./in-process.ts";

const DAY_MS = 86_400_000;
const TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
const TRACE = "trace id [0-9a-f]{16}";

const enhanced = (name: string) => [...tokenCreateArgs(name)];

/**
 * A `--clock manual` server as started: its clock starts at the real time and moves only when told,
 * while EdgeGrid timestamps are checked against the real time the CLI signs with.
 */
const manualServer = (
  t: Parameters<typeof cliHarness>[0],
  options: { activationDelaySeconds?: number } = {},
) =>
  cliHarness(t, {
    settings: { activationDelaySeconds: options.activationDelaySeconds ?? 0 },
    wallClock: systemClock,
    serverClockFollowsWait: false,
  });

/** The harness's clock date `days` from its today, `YYYY-MM-DD`. */
const serverDay = (s: CliHarness, days = 0) => addDays(utcDate(s.harness.clock.now()), days);

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The line `Label:   value` of a detail view. */
const field = (label: string, value: string) => new RegExp(`^${escaped(label)}:\\s+${escaped(value)}$`, "m");

describe("edgekv clock", () => {
  it("shows a manual clock, its time and how far it is from this computer's", async (t) => {
    const s = await manualServer(t);
    const shown = await s.cli(["clock", "show"]);
    expect(shown.code).toBe(0);
    expect(shown.stderr).toBe(s.hostLine);
    expect(shown.stdout).toBe(
      `Server time: ${s.harness.clock.now().toISOString()}\n` +
        "Clock:       manual: it moves only with edgekv clock advance, set or reset\n" +
        "Offset:      none: it matches this computer's clock\n",
    );
    s.harness.clock.advance(60 * DAY_MS);
    const json = await s.cli(["clock", "show", "--json"]);
    expect(json.stderr).toBe("");
    expect(JSON.parse(json.stdout)).toEqual({
      now: s.harness.clock.now().toISOString(),
      clock: "manual",
      aheadSeconds: expect.any(Number),
    });
    expect(Math.abs(JSON.parse(json.stdout).aheadSeconds - 60 * 86_400)).toBeLessThan(60);
    expect((await s.cli(["clock", "show"])).stdout).toMatch(
      field("Offset", "60d ahead of this computer's clock"),
    );
  });

  it("advance 60d refreshes the tokens then due, and says so", async (t) => {
    const s = await manualServer(t);
    for (const name of ["first", "second"]) expect((await s.cli(enhanced(name))).code).toBe(0);
    const before = await s.cli(["token", "show", "first"]);
    expect(before.stdout).toMatch(/^Latest refresh date:\s+N\/A$/m);
    expect(before.stdout).toMatch(field("Next refresh date", `${serverDay(s, 60)} (in 60 days)`));
    const from = s.harness.clock.now().toISOString();

    const moved = await s.cli(["clock", "advance", "60d"]);
    expect(moved.code).toBe(0);
    expect(moved.stderr).toBe(s.hostLine);
    const now = s.harness.clock.now().toISOString();
    expect(now).toBe(new Date(Date.parse(from) + 60 * DAY_MS).toISOString());
    expect(moved.stdout).toMatch(
      new RegExp(
        `^Moved the clock of ${TEST_HOST} forward 60d: ${from} → ${now}\\.\nScheduled work at the new time: refreshed 2 tokens, .*\\.\n$`,
      ),
    );

    const after = await s.cli(["token", "show", "first"]);
    expect(after.stdout).toMatch(field("Latest refresh date", `${serverDay(s)}`));
    expect(after.stdout).toMatch(field("Next refresh date", `${serverDay(s, 60)} (in 60 days)`));
    const listed = await s.cli(["token", "list"]);
    expect(listed.stdout).toMatch(
      new RegExp(
        `^second\\s+COMPLETE\\s+\\S+\\s+${serverDay(s)}\\s+${serverDay(s, 60)} \\(in 60 days\\)\\s+INDEFINITE$`,
        "m",
      ),
    );

    // Nothing more is due a second later.
    const again = await s.cli(["clock", "advance", "1s", "--json"]);
    expect(JSON.parse(again.stdout)).toMatchObject({ now: expect.any(String), from: now, refreshed: 0 });
  });

  // The bug: under a manual clock `token list --include-expired` showed a token
  // "COMPLETE … (in 61 days)" that the server answered 410 for, the CLI judging by its own clock.
  it("tells expiry and next refresh from the server's time, not this computer's", async (t) => {
    const s = await manualServer(t);
    const expiry = serverDay(s, 61);
    const legacy = await s.cli([...enhanced("legacy"), "--expiry", expiry]);
    expect(legacy.stdout).toMatch(new RegExp(`^Expiry date:\\s+${expiry} \\(in 61 days\\)$`, "m"));
    expect((await s.cli(enhanced("enhanced"))).code).toBe(0);

    expect((await s.cli(["clock", "advance", "59d"])).code).toBe(0);
    const shown = await s.cli(["token", "show", "enhanced"]);
    expect(shown.stderr).toBe(s.hostLine);
    expect(shown.stdout).toMatch(field("Next refresh date", `${serverDay(s, 1)} (in 1 day)`));
    const soon = await s.cli(["token", "show", "legacy"]);
    expect(soon.stdout).toMatch(new RegExp(`^Expiry date:\\s+${expiry} \\(in 2 days\\)$`, "m"));
    expect(soon.stdout).toContain(`Warning: token legacy expires in 2 days (${expiry})`);

    expect((await s.cli(["clock", "advance", "3d"])).code).toBe(0);
    const gone = await s.cli(["token", "show", "legacy"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(oneLine(`Token has expired\\. \\(EKV_3000, ${TRACE}\\)`, s.hostLine));
    const listed = await s.cli(["token", "list", "--include-expired"]);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toBe(s.hostLine);
    expect(listed.stdout).toMatch(new RegExp(`^legacy\\s+COMPLETE\\s+.*${expiry} \\(expired\\)$`, "m"));
    expect(listed.stdout).not.toContain("in 61 days");
    expect(listed.stdout).toContain(`Warning: token legacy expired on ${expiry}.`);
  });

  it("tells them from Date without X-EdgeKV-Time, and from this computer's clock, saying so, with neither", async (t) => {
    const s = await manualServer(t);
    expect((await s.cli(enhanced("enhanced"))).code).toBe(0);
    expect((await s.cli(["clock", "advance", "59d"])).code).toBe(0);
    const inject = injectTransport(s.harness.app);
    const without =
      (...names: string[]): Transport =>
      async (request) => {
        const response = await inject(request);
        const headers = Object.fromEntries(
          Object.entries(response.headers).filter(([name]) => !names.includes(name)),
        );
        return { ...response, headers };
      };
    const today = utcDate(new Date());
    const realRefresh = `${addDays(today, 60)} (in 60 days)`;
    // Date is the real time (Akamai's servers send no X-EdgeKV-Time), so this one's manual time is lost.
    const byDate = await runEdgekv(["token", "show", "enhanced", "--edgerc", s.edgerc], {
      transport: without("x-edgekv-time"),
    });
    expect(byDate.stderr).toBe(s.hostLine);
    expect(byDate.stdout).toMatch(field("Next refresh date", realRefresh));
    const byLocal = await runEdgekv(["token", "list", "--edgerc", s.edgerc], {
      transport: without("x-edgekv-time", "date"),
    });
    expect(byLocal.code).toBe(0);
    expect(byLocal.stderr).toBe(
      `${s.hostLine}edgekv: ${TEST_HOST} did not say its time; "expired", "in N days" and "due" follow this computer's clock.\n`,
    );
    expect(byLocal.stdout).toContain(realRefresh);
    // JSON holds no relative dates: nothing to say.
    const json = await runEdgekv(["token", "list", "--json", "--edgerc", s.edgerc], {
      transport: without("x-edgekv-time", "date"),
    });
    expect(json.stderr).toBe("");
  });

  it("sets the clock forward to a time, and refuses one before it in words that say what to do", async (t) => {
    const s = await manualServer(t);
    const target = new Date(s.harness.clock.now().getTime() + 36 * 3_600_000);
    const from = s.harness.clock.now().toISOString();
    const set = await s.cli(["clock", "set", target.toISOString()]);
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(
      new RegExp(
        `^Moved the clock of ${TEST_HOST} to ${target.toISOString()}: forward 1d12h from ${from}\\.\n`,
      ),
    );
    expect(s.harness.clock.now()).toEqual(target);

    const back = await s.cli(["clock", "set", from]);
    expect(back.code).toBe(1);
    expect(back.stdout).toBe("");
    expect(back.stderr).toMatch(
      oneLine(
        `The clock only moves forward: ${from} is before the time of ${TEST_HOST}, ${target.toISOString()}\\. ` +
          "Give a later time, or go back to the real time with: edgekv clock reset",
        s.hostLine,
      ),
    );
    expect(s.harness.clock.now()).toEqual(target);
  });

  it("resets the clock to the real time, back from a manual time ahead of it", async (t) => {
    const s = await manualServer(t);
    await s.cli(["clock", "advance", "60d"]);
    const reset = await s.cli(["clock", "reset"]);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(
      new RegExp(
        `^Reset the clock of ${TEST_HOST} to the real time, ${TIME}: back 60d from ${TIME}\\. ` +
          "What was dated in between \\(issue, refresh and activation dates\\) now lies in the future\\.\n" +
          "Scheduled work at the new time \\(refreshes, purges, key rotation\\): nothing was due\\.\n$",
      ),
    );
    expect(Math.abs(s.harness.clock.now().getTime() - Date.now())).toBeLessThan(60_000);
    const json = await s.cli(["clock", "reset", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ now: expect.any(String), from: expect.any(String) });
  });

  it("moves with --jsonout in the official CLI's shape", async (t) => {
    const s = await manualServer(t);
    const moved = await s.cli(["clock", "advance", "90s", "--jsonout"]);
    expect(JSON.parse(moved.stdout)).toEqual({
      cliStatus: 0,
      msg: expect.stringMatching(/^Moved the clock of .* forward 1m30s: /),
      data: expect.objectContaining({ now: expect.any(String), from: expect.any(String), refreshed: 0 }),
    });
  });

  describe("on a server started on the system clock", () => {
    const systemServer = (t: Parameters<typeof cliHarness>[0]) =>
      cliHarness(t, { wallClock: systemClock, manualClockRoutes: false });

    it("shows the server's time from X-EdgeKV-Time", async (t) => {
      const s = await systemServer(t);
      const shown = await s.cli(["clock", "show", "--json"]);
      expect(shown.code).toBe(0);
      expect(JSON.parse(shown.stdout)).toMatchObject({
        now: s.harness.clock.now().toISOString(),
        clock: "system",
      });
      expect((await s.cli(["clock", "show"])).stdout).toMatch(
        field("Clock", "system (real time): start the server with --clock manual to move it"),
      );
    });

    it.for<[string, string[]]>([
      ["advance", ["clock", "advance", "1d"]],
      ["set", ["clock", "set", "2099-01-01"]],
    ])("refuses %s in one line saying to start it with --clock manual", async ([, args], t) => {
      const s = await systemServer(t);
      const run = await s.cli(args);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(
        oneLine(
          `${TEST_HOST} runs on the system clock, which cannot be moved: restart it with --clock manual \\(edgekv serve --clock manual\\) to control its time\\.`,
          s.hostLine,
        ),
      );
    });

    it("has nothing to reset", async (t) => {
      const s = await systemServer(t);
      const reset = await s.cli(["clock", "reset"]);
      expect(reset.code).toBe(0);
      expect(reset.stdout).toMatch(
        new RegExp(
          `^${TEST_HOST} runs on the system clock: it is at the real time already \\(${TIME}\\); nothing to reset\\.\n$`,
        ),
      );
    });
  });

  it.for<[string, string[], string]>([
    ["a missing duration", ["clock", "advance"], "error: missing required argument 'duration'\n"],
    ["a missing time", ["clock", "set"], "error: missing required argument 'time'\n"],
    [
      "a bad duration",
      ["clock", "advance", "2 days"],
      'edgekv: Invalid duration "2 days": give whole weeks, days, hours, minutes or seconds, largest first, e.g. 90s, 15m, 2h, 60d or 1d12h (up to 3650d).\n',
    ],
    [
      "a duration over ten years",
      ["clock", "advance", "4000d"],
      'edgekv: Invalid duration "4000d": the clock moves at most 3650d (ten years) at once.\n',
    ],
    [
      "a bad time",
      ["clock", "set", "next week"],
      'edgekv: Invalid time "next week": give an ISO-8601 time with its zone, e.g. 2027-01-31T09:00:00Z or 2027-01-31T09:00+01:00, or a date (2027-01-31 is its midnight UTC).\n',
    ],
    [
      "a time without its zone",
      ["clock", "set", "2027-01-31T09:00"],
      'edgekv: Invalid time "2027-01-31T09:00": say its zone, e.g. 2027-01-31T09:00Z for UTC or 2027-01-31T09:00+01:00; a server may be anywhere.\n',
    ],
    [
      "an extra argument",
      ["clock", "reset", "now"],
      "error: too many arguments for 'reset'. Expected 0 arguments but got 1.\n",
    ],
  ])("refuses %s in one line with exit 1, sending nothing", async ([, args, stderr], t) => {
    const s = await manualServer(t);
    const run = await s.cli(args);
    expect(run).toEqual({ code: 1, stdout: "", stderr });
    expect(s.sent).toEqual([]);
  });

  it("refuses a move to a client without SERVER_ADMIN in one line; the clock stays", async (t) => {
    const s = await manualServer(t);
    const viewer = await s.harness.addClient({ capabilities: ["VIEW_TOKEN", "CREATE_TOKEN"] });
    const edgerc = join(s.dir, "viewer.edgerc");
    await writeFile(edgerc, edgercText(TEST_HOST, viewer));
    const before = s.harness.clock.now();
    const run = await s.run(["clock", "advance", "1d", "--edgerc", edgerc]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /edgekv: The API client akab-\S+ lacks the SERVER_ADMIN capability\. Create a client that has it: edgekv credentials create .* \(EKV_1000, trace id [0-9a-f]{16}\)\n$/,
    );
    expect(run.stderr.split("\n").filter((line) => line !== "")).toHaveLength(2);
    expect(s.harness.clock.now()).toEqual(before);
    // Reading the clock takes no more than a valid signature.
    expect((await s.run(["clock", "show", "--edgerc", edgerc, "--json"])).code).toBe(0);
  });

  it("says a server is no edgekv-server when a 404 for its clock carries no time", async (t) => {
    const s = await manualServer(t);
    const inject = injectTransport(s.harness.app);
    const foreign: Transport = async (request) => {
      const { "x-edgekv-time": _time, ...headers } = (await inject(request)).headers;
      return { status: 404, headers, body: '{"title":"Not Found"}' };
    };
    const run = await runEdgekv(["clock", "show", "--edgerc", s.edgerc], { transport: foreign });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      oneLine(
        `${TEST_HOST} has no clock to show or move: it is not an edgekv-server, or one older than this command\\.`,
        s.hostLine,
      ),
    );
  });
});
