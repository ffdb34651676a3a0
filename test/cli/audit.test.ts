import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NewAuditEvent } from "../../src/audit/audit-event.ts";
import { TEST_HOST } from "../support/harness.ts";
import { oneLine } from "./cli-server.ts";
import { type CliHarness, cliHarness, edgercText, tokenCreateArgs } from "./in-process.ts";

const TRACE = "[0-9a-f]{16}";
const TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";

const createToken = async (s: CliHarness, name: string) => {
  const run = await s.cli([...tokenCreateArgs(name), "--json"]);
  expect(run.code, run.stderr).toBe(0);
};

/** The targets of the table's rows (the last column), top to bottom. */
const targets = (stdout: string) =>
  stdout
    .split("\n")
    .filter((line) => new RegExp(`^${TIME} `).test(line))
    .map((line) => line.split(/\s+/).at(-1));

describe.concurrent("edgekv audit", () => {
  it("lists events newest first: time, action, status, outcome, account, client token, trace id, target", async (t) => {
    const s = await cliHarness(t);
    await createToken(s, "first");
    await createToken(s, "second");
    const run = await s.cli(["audit", "--action", "token.create"]);
    expect(run.stderr).toBe(s.hostLine);
    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.split("\n");
    expect(header).toMatch(/^TIME\s+ACTION\s+STATUS\s+OUTCOME\s+ACCOUNT\s+CLIENT TOKEN\s+TRACE ID\s+TARGET$/);
    const client = s.harness.credentials.clientToken;
    expect(rows[0]).toMatch(
      new RegExp(
        `^${TIME}\\s+token\\.create\\s+200\\s+ok\\s+\\S+\\s+${client}\\s+${TRACE}\\s+tokens/second$`,
      ),
    );
    expect(targets(run.stdout)).toEqual(["tokens/second", "tokens/first"]);
    expect(run.stdout).toMatch(/\n\n2 events, newest first\.\n$/);
    expect(s.sent.at(-1)?.target).toBe("/_edgekv/v1/audit?action=token.create");

    const json = await s.cli(["audit", "--action", "token.create", "--json"]);
    expect(json.stderr).toBe("");
    const page = JSON.parse(json.stdout);
    expect(page.nextCursor).toBeNull();
    expect(page.events.map((event: { target: string }) => event.target)).toEqual([
      "tokens/second",
      "tokens/first",
    ]);
    expect(page.events[0]).toMatchObject({
      action: "token.create",
      status: 200,
      outcome: "ok",
      clientToken: client,
    });
  });

  it("filters by action (exact or group), since and until, and shows refused authentications", async (t) => {
    const s = await cliHarness(t);
    await createToken(s, "kept");
    expect((await s.cli(["token", "revoke", "kept"])).code).toBe(0);
    const stranger = join(s.dir, "stranger");
    await writeFile(
      stranger,
      edgercText(TEST_HOST, {
        clientToken: "akab-stranger",
        clientSecret: "c2VjcmV0",
        accessToken: "akab-x",
      }),
    );
    expect((await s.run(["token", "list", "--edgerc", stranger])).code).toBe(1);

    const group = await s.cli(["audit", "--action", "token."]);
    expect(targets(group.stdout)).toEqual(["tokens/kept", "tokens/kept"]);
    expect(group.stdout).toMatch(/^\S+\s+token\.revoke\s+/m);
    const refused = await s.cli(["audit", "--action", "auth.refused"]);
    expect(refused.stdout).toMatch(
      /^\S+\s+auth\.refused\s+400\s+refused auth_unknown_client\s+-\s+akab-stranger\s+[0-9a-f]{16}\s+GET \/edgekv\/v1\/tokens$/m,
    );
    const recent = await s.cli(["audit", "--since", "1h", "--action", "token.revoke", "--json"]);
    expect(JSON.parse(recent.stdout).events).toHaveLength(1);
    const later = s.harness.clock.now().getTime() + 3_600_000;
    const none = await s.cli(["audit", "--since", new Date(later).toISOString()]);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe("No audit events match.\n");
    const before = await s.cli(["audit", "--until", "2020-01-01", "--json"]);
    expect(JSON.parse(before.stdout)).toEqual({ events: [], nextCursor: null });
    expect(s.sent.at(-1)?.target).toBe("/_edgekv/v1/audit?until=2020-01-01T00%3A00%3A00.000Z");
  });

  it("pages: prints the command for the next page, or follows every page with --all", async (t) => {
    const s = await cliHarness(t);
    for (const name of ["a", "b", "c"]) await createToken(s, name);
    const first = await s.cli(["audit", "--action", "token.create", "--limit", "2"]);
    expect(targets(first.stdout)).toEqual(["tokens/c", "tokens/b"]);
    const next =
      /Older ones: edgekv audit (--cursor \S+ --action token\.create --limit 2) \(or --all for every page\)\n$/.exec(
        first.stdout,
      );
    expect(first.stdout).toMatch(/\n\n2 events, newest first\. Older ones: /);
    const second = await s.cli(["audit", ...(next?.[1] ?? "").split(" ")]);
    expect(second.code).toBe(0);
    expect(targets(second.stdout)).toEqual(["tokens/a"]);
    expect(second.stdout).toMatch(/\n\n1 event, newest first\.\n$/);

    const sentBefore = s.sent.length;
    const all = await s.cli(["audit", "--action", "token.create", "--limit", "2", "--all"]);
    expect(targets(all.stdout)).toEqual(["tokens/c", "tokens/b", "tokens/a"]);
    expect(all.stdout).toMatch(/\n\n3 events, newest first\.\n$/);
    expect(s.sent.length - sentBefore).toBe(2);
    const json = await s.cli(["audit", "--action", "token.create", "--limit", "1", "--all", "--json"]);
    const page = JSON.parse(json.stdout);
    expect(page.nextCursor).toBeNull();
    expect(page.events.map((event: { target: string }) => event.target)).toEqual([
      "tokens/c",
      "tokens/b",
      "tokens/a",
    ]);
  });

  it("--follow prints the newest events, then new ones as they come, until interrupted (exit 0)", async (t) => {
    const s = await cliHarness(t);
    await createToken(s, "before");
    const interrupt = new AbortController();
    const pauses: number[] = [];
    const sentBefore = s.sent.length;
    const run = await s.cli(["audit", "--follow", "--action", "token.", "--interval", "2"], {
      interrupt: interrupt.signal,
      onSleep: async (milliseconds) => {
        pauses.push(milliseconds);
        if (pauses.length === 1) await createToken(s, "after");
        if (pauses.length === 2) {
          await createToken(s, "last");
          expect((await s.cli(["token", "revoke", "before"])).code).toBe(0);
        }
        if (pauses.length === 3) interrupt.abort();
      },
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`${s.hostLine}edgekv: following the audit log every 2 s; Ctrl-C stops.\n`);
    const [header, ...lines] = run.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^TIME\s+ACTION\s+STATUS\s+OUTCOME\s+ACCOUNT\s+CLIENT TOKEN\s+TRACE ID\s+TARGET$/);
    expect(
      lines.map((line) =>
        line
          .split(/\s+/)
          .slice(1, 2)
          .concat(line.split(/\s+/).at(-1) ?? ""),
      ),
    ).toEqual([
      ["token.create", "tokens/before"],
      ["token.create", "tokens/after"],
      ["token.create", "tokens/last"],
      ["token.revoke", "tokens/before"],
    ]);
    // Lines printed batch by batch line up with the header.
    expect(lines.every((line) => line.indexOf("token.") === header?.indexOf("ACTION"))).toBe(true);
    expect(pauses).toEqual([2000, 2000, 2000]);
    const polls = s.sent
      .slice(sentBefore)
      .filter((request) => request.target.startsWith("/_edgekv/v1/audit"));
    expect(polls.map((request) => request.target)).toEqual([
      "/_edgekv/v1/audit?action=token.&limit=20",
      expect.stringMatching(/^\/_edgekv\/v1\/audit\?action=token\.&limit=500&after=\d+$/),
      expect.stringMatching(/^\/_edgekv\/v1\/audit\?action=token\.&limit=500&after=\d+$/),
    ]);
  });

  it("--follow --json prints one event per line, paging through a burst of more than a page", async (t) => {
    const s = await cliHarness(t);
    const interrupt = new AbortController();
    const burst = (index: number): NewAuditEvent => ({
      at: s.harness.clock.now(),
      action: "item.write",
      target: `production/namespaces/default/groups/g/items/k${index}`,
      status: 200,
      outcome: "ok",
      accountId: "default",
      clientToken: null,
      tokenUuid: null,
      traceId: null,
      errorCode: null,
      via: "api",
    });
    let recorded = false;
    const run = await s.cli(["audit", "--follow", "--json", "--limit", "1"], {
      interrupt: interrupt.signal,
      onSleep: async () => {
        // Ctrl-C during a pause ends the run at once: the burst comes in the first, Ctrl-C in the second.
        if (interrupt.signal.aborted) return;
        if (recorded) interrupt.abort();
        else {
          for (let index = 0; index < 501; index += 1) await s.harness.store.audit.record(burst(index));
          recorded = true;
        }
      },
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const events = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    const written = events.filter((event) => event.action === "item.write");
    expect(written).toHaveLength(501);
    expect(written.map((event) => event.target.split("/").at(-1))).toEqual(
      Array.from({ length: 501 }, (_, index) => `k${index}`),
    );
    expect(events.map((event) => event.id)).toEqual(
      [...events.map((event) => event.id)].sort((a, b) => a - b),
    );
  });

  it("stops after the first batch when interrupted before the first poll", async (t) => {
    const s = await cliHarness(t);
    const interrupt = new AbortController();
    interrupt.abort();
    const run = await s.cli(["audit", "-f"], { interrupt: interrupt.signal });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^TIME\s+ACTION/);
  });

  it("says which capability a client lacks and how to get it", async (t) => {
    const s = await cliHarness(t);
    const client = await s.harness.addClient();
    const edgerc = join(s.dir, "plain");
    await writeFile(edgerc, edgercText(TEST_HOST, client));
    const run = await s.run(["audit", "--edgerc", edgerc]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      oneLine(
        "Reading the audit log takes the SERVER_ADMIN capability, which this API client lacks\\. .*" +
          "edgekv credentials create --account <id> --capabilities all,SERVER_ADMIN .* \\(EKV_1000, trace id [0-9a-f]{16}\\)",
        hostLineFor(edgerc),
      ),
    );
  });

  it.for([
    [["--since", "yesterday"], 'Invalid --since "yesterday": give an ISO time with its zone .*'],
    [["--since", "2026-11-28T10:00"], 'Invalid --since "2026-11-28T10:00": .*'],
    [["--until", "2026-13-45"], 'Invalid --until "2026-13-45": .*'],
    [
      ["--since", "2026-11-28", "--until", "2026-11-27"],
      "--until \\(2026-11-27T00:00:00\\.000Z\\) must be later than --since \\(2026-11-28T00:00:00\\.000Z\\)\\.",
    ],
    [["--limit", "0"], 'Invalid --limit "0": give a whole number from 1 to 500\\.'],
    [["--limit", "501"], 'Invalid --limit "501": .*'],
    [["--limit", "ten"], 'Invalid --limit "ten": .*'],
    [
      ["--action", "token"],
      'Unknown --action "token": give an audit action such as token\\.create, or one of .*token\\., .*',
    ],
    [["--action", "nope."], 'Unknown --action "nope\\.": .*'],
    [
      ["--follow", "--interval", "0"],
      'Invalid --interval "0": give seconds from 0\\.1 to 3600, e\\.g\\. --interval 5\\.',
    ],
    [
      ["--follow", "--until", "1h"],
      "--follow prints events as they come: give it --since and --action, not --until, --cursor or --all\\.",
    ],
    [["--follow", "--jsonout"], "--follow prints a stream: use --json for one JSON event per line\\."],
  ] as const)("refuses %j in one line, exit 1, before sending", async ([args, message], t) => {
    const s = await cliHarness(t);
    const run = await s.cli(["audit", ...args]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(oneLine(message));
    expect(s.sent).toEqual([]);
  });
});

const hostLineFor = (edgerc: string) => `edgekv: using https://${TEST_HOST} (${edgerc} [default])\n`;
