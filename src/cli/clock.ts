import { Command } from "commander";
import { systemClock } from "../clock.ts";
import { formatApproximately, formatDuration } from "../duration.ts";
import { type Answer, printAnswer } from "./answer.ts";
import {
  addConnectionOptions,
  addExamples,
  CONNECTION_EXAMPLE,
  type ConnectionOptions,
  connect,
  type EdgeKvApi,
  parseJsonText,
  SERVER_BASE,
} from "./api-client.ts";
import { parseDuration, parseInstant } from "./clock-input.ts";
import type { CliContext } from "./context.ts";
import { plural, renderFields } from "./format.ts";
import { stdoutPaint } from "./output.ts";
import { UserError } from "./user-error.ts";

const CLOCK = "/clock";

/** The server's clock: a manual one answers GET /_edgekv/v1/clock, the system one 404. */
interface ClockReading {
  kind: "manual" | "system";
  now: Date;
}

/** POST /_edgekv/v1/clock: the times around the move, and what the work then due did, by name. */
interface Moved {
  now: string;
  from: string;
  counts: Record<string, number>;
}

const notManual = (host: string) =>
  new UserError(
    `${host} runs on the system clock, which cannot be moved: restart it with --clock manual ` +
      "(edgekv serve --clock manual) to control its time.",
  );

/**
 * The time of a server that answered 404 for its clock. edgekv-server on the system clock says its
 * time in X-EdgeKV-Time; a server that does not is no edgekv-server, or one older than this command.
 */
function systemTime(api: EdgeKvApi): Date {
  const now = api.now();
  if (now.source !== "server") {
    throw new UserError(
      `${api.host} has no clock to show or move: it is not an edgekv-server, or one older than this command.`,
    );
  }
  return now.at;
}

const fieldOf = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;

const timeOf = (value: unknown): Date | null => {
  const at = typeof value === "string" ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? null : new Date(at);
};

const notAClock = (api: EdgeKvApi, method: string) =>
  new UserError(
    `${api.host} answered ${method} ${SERVER_BASE}${CLOCK} with something that is not its clock; is it an edgekv-server?`,
  );

async function readClock(api: EdgeKvApi): Promise<ClockReading> {
  const response = await api.send({
    method: "GET",
    base: SERVER_BASE,
    path: CLOCK,
    accept: ({ status }) => status === 404,
  });
  if (response.status === 404) return { kind: "system", now: systemTime(api) };
  const now = timeOf(fieldOf(parseJsonText(response.text), "now"));
  if (now === null) throw notAClock(api, "GET");
  return { kind: "manual", now };
}

/** Moves the clock; null when the server runs on the system clock (and says its time). */
async function moveClock(api: EdgeKvApi, body: Record<string, unknown>): Promise<Moved | null> {
  const response = await api.send({
    method: "POST",
    base: SERVER_BASE,
    path: CLOCK,
    json: body,
    accept: ({ status }) => status === 404,
  });
  if (response.status === 404) {
    systemTime(api);
    return null;
  }
  const answer = parseJsonText(response.text);
  const now = fieldOf(answer, "now");
  const from = fieldOf(answer, "from");
  if (timeOf(now) === null || timeOf(from) === null) throw notAClock(api, "POST");
  const counts = Object.fromEntries(
    Object.entries(answer as Record<string, unknown>).filter(
      (entry): entry is [string, number] => typeof entry[1] === "number",
    ),
  );
  return { now: String(now), from: String(from), counts };
}

/** The scheduler's counts in words, by the names it gives them; an unknown name as it is. */
const WORK: Readonly<Record<string, (count: number) => string>> = {
  refreshed: (count) => `refreshed ${plural(count, "token")}`,
  purged: (count) => `purged ${plural(count, "expired or revoked token")}`,
  deletedNamespaces: (count) => `deleted ${plural(count, "namespace")} due for deletion`,
  purgedItems: (count) => `purged ${plural(count, "expired item")}`,
  rotatedKey: () => "rotated the token signing key",
  prunedAuditEvents: (count) => `pruned ${plural(count, "old audit event")}`,
};

/** What the work run by a move did, in words. */
export function describeWork(counts: Readonly<Record<string, number>>): string {
  const done = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([name, count]) => WORK[name]?.(count) ?? `${name}: ${count}`);
  // Activations need no work: a token is COMPLETE once the clock has passed its activation time.
  return done.length === 0
    ? "Scheduled work at the new time (refreshes, purges, key rotation): nothing was due."
    : `Scheduled work at the new time: ${done.join(", ")}.`;
}

/** How far the server's clock is from this computer's. */
export function describeOffset(aheadMs: number): string {
  if (Math.abs(aheadMs) < 1000) return "none: it matches this computer's clock";
  return `${formatApproximately(aheadMs / 1000)} ${aheadMs > 0 ? "ahead of" : "behind"} this computer's clock`;
}

function movedAnswer(moved: Moved, headline: string): Answer {
  const json = { now: moved.now, from: moved.from, ...moved.counts };
  return { json, text: `${headline}\n${describeWork(moved.counts)}`, msg: headline, data: json };
}

export function clockShowCommand(context: CliContext): Command {
  const command = new Command("show").description(
    "Show the server's time, whether its clock is manual or the system's, and how far it is from this computer's.",
  );
  addConnectionOptions(command);
  return addExamples(command, `edgekv clock show ${CONNECTION_EXAMPLE}`, "edgekv clock show --json").action(
    async (options: ConnectionOptions) => {
      const api = await connect(options, context);
      const clock = await readClock(api);
      const aheadMs = clock.now.getTime() - systemClock.now().getTime();
      const json = {
        now: clock.now.toISOString(),
        clock: clock.kind,
        aheadSeconds: Math.round(aheadMs / 1000),
      };
      const kind =
        clock.kind === "manual"
          ? "manual: it moves only with edgekv clock advance, set or reset"
          : "system (real time): start the server with --clock manual to move it";
      await printAnswer(context, options, {
        json,
        text: renderFields(
          [
            ["Server time", json.now],
            ["Clock", kind],
            ["Offset", describeOffset(aheadMs)],
          ],
          stdoutPaint(context),
        ),
        msg: `The clock of ${api.host} is at ${json.now} (${clock.kind})`,
        data: json,
      });
    },
  );
}

export function clockAdvanceCommand(context: CliContext): Command {
  const command = new Command("advance")
    .description("Move a manual clock forward, and run what is due by then (refreshes, purges, …).")
    .argument("<duration>", "how far: 90s, 15m, 2h, 60d or 1d12h (largest unit first, up to 3650d)");
  addConnectionOptions(command);
  return addExamples(
    command,
    `edgekv clock advance 60d ${CONNECTION_EXAMPLE}`,
    "edgekv clock advance 1d12h --json",
  ).action(async (duration: string, options: ConnectionOptions) => {
    const seconds = parseDuration(duration);
    const api = await connect(options, context);
    const moved = await moveClock(api, { advanceSeconds: seconds });
    if (moved === null) throw notManual(api.host);
    const headline = `Moved the clock of ${api.host} forward ${formatDuration(seconds)}: ${moved.from} → ${moved.now}.`;
    await printAnswer(context, options, movedAnswer(moved, headline));
  });
}

export function clockSetCommand(context: CliContext): Command {
  const command = new Command("set")
    .description("Move a manual clock forward to a time, and run what is due by then.")
    .argument("<time>", "ISO-8601 with its zone (2027-01-31T09:00:00Z), or a date (midnight UTC)");
  addConnectionOptions(command);
  return addExamples(
    command,
    `edgekv clock set 2027-01-31T00:00:00Z ${CONNECTION_EXAMPLE}`,
    "edgekv clock set 2027-01-31",
  ).action(async (time: string, options: ConnectionOptions) => {
    const target = parseInstant(time);
    const api = await connect(options, context);
    const clock = await readClock(api);
    if (clock.kind === "system") throw notManual(api.host);
    if (target.getTime() < clock.now.getTime()) {
      throw new UserError(
        `The clock only moves forward: ${target.toISOString()} is before the time of ${api.host}, ${clock.now.toISOString()}. ` +
          "Give a later time, or go back to the real time with: edgekv clock reset",
      );
    }
    const moved = await moveClock(api, { set: target.toISOString() });
    if (moved === null) throw notManual(api.host);
    const forward = (Date.parse(moved.now) - Date.parse(moved.from)) / 1000;
    const headline = `Moved the clock of ${api.host} to ${moved.now}: forward ${formatApproximately(forward)} from ${moved.from}.`;
    await printAnswer(context, options, movedAnswer(moved, headline));
  });
}

export function clockResetCommand(context: CliContext): Command {
  const command = new Command("reset").description(
    "Put a manual clock at the real time (the server's system clock), backwards too; it stays manual.",
  );
  addConnectionOptions(command);
  return addExamples(command, `edgekv clock reset ${CONNECTION_EXAMPLE}`).action(
    async (options: ConnectionOptions) => {
      const api = await connect(options, context);
      const moved = await moveClock(api, { reset: true });
      if (moved === null) {
        const now = api.now().at.toISOString();
        const headline = `${api.host} runs on the system clock: it is at the real time already (${now}); nothing to reset.`;
        const json = { now, clock: "system" };
        await printAnswer(context, options, { json, text: headline, msg: headline, data: json });
        return;
      }
      const change = (Date.parse(moved.now) - Date.parse(moved.from)) / 1000;
      const headline =
        change < 0
          ? `Reset the clock of ${api.host} to the real time, ${moved.now}: back ${formatApproximately(change)} from ${moved.from}. ` +
            "What was dated in between (issue, refresh and activation dates) now lies in the future."
          : `Reset the clock of ${api.host} to the real time, ${moved.now}: forward ${formatApproximately(change)} from ${moved.from}.`;
      await printAnswer(context, options, movedAnswer(moved, headline));
    },
  );
}

export function clockCommand(context: CliContext): Command {
  return new Command("clock")
    .description("Show the server's clock, and move it on a server started with --clock manual.")
    .addCommand(clockShowCommand(context))
    .addCommand(clockAdvanceCommand(context))
    .addCommand(clockSetCommand(context))
    .addCommand(clockResetCommand(context))
    .addHelpText(
      "after",
      `
A server started with --clock manual keeps still until moved. Tokens activate, refresh and expire,
and items expire, as its clock reaches their time; each move runs the work then due before it
answers. Moving the clock takes a client with SERVER_ADMIN (the first-run client in .edgekv/edgerc
has it). The time lasts while the server runs with --clock manual: a start on the system clock
forgets it. Every command that shows relative dates ("expired", "in 12 days", "due") tells them from
the server's time, not this computer's.

Examples:
  $ edgekv serve --clock manual --activation-delay 0
  $ edgekv clock show
  $ edgekv clock advance 60d
  $ edgekv clock set 2027-01-31T00:00:00Z
  $ edgekv clock reset`,
    );
}
