import { Command } from "commander";
import { systemClock } from "../clock.ts";
import { printAnswer } from "./answer.ts";
import {
  ApiResponseError,
  addConnectionOptions,
  addExamples,
  CONNECTION_EXAMPLE,
  type ConnectionOptions,
  connect,
  type EdgeKvApi,
  SERVER_BASE,
} from "./api-client.ts";
import { parseAuditAction, parseAuditLimit, parseAuditTime, parseInterval } from "./audit-input.ts";
import {
  type AuditEventJson,
  type AuditPageJson,
  followHeader,
  followLine,
  listingFooter,
  readAuditPage,
  renderAuditTable,
} from "./audit-view.ts";
import type { CliContext } from "./context.ts";
import { printText, stdoutPaint } from "./output.ts";
import { UserError } from "./user-error.ts";

interface AuditOptions extends ConnectionOptions {
  since?: string;
  until?: string;
  action?: string;
  limit?: string;
  cursor?: string;
  all?: boolean;
  follow?: boolean;
  interval: string;
}

/** The query parameters that choose events, as the server takes them. */
interface AuditFilter {
  since?: string;
  until?: string;
  action?: string;
  limit?: string;
}

/** How many events `--follow` shows before it waits for new ones, unless `--limit` says. */
const FOLLOW_FIRST = 20;
/** The most the server answers at once: the page `--follow` polls with, and `--all`'s unless --limit. */
const POLL_PAGE = "500";

function filterOf(options: AuditOptions, now: Date): AuditFilter {
  const since = options.since === undefined ? undefined : parseAuditTime("--since", options.since, now);
  const until = options.until === undefined ? undefined : parseAuditTime("--until", options.until, now);
  if (since !== undefined && until !== undefined && Date.parse(since) >= Date.parse(until)) {
    throw new UserError(`--until (${until}) must be later than --since (${since}).`);
  }
  return {
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
    ...(options.action === undefined ? {} : { action: parseAuditAction(options.action) }),
    ...(options.limit === undefined ? {} : { limit: String(parseAuditLimit(options.limit)) }),
  };
}

/** The command that shows the page after this one: the filters as resolved, so `1h` stays put. */
function nextPageCommand(filter: AuditFilter, cursor: string): string {
  const filters = Object.entries(filter).map(([name, value]) => ` --${name} ${value}`);
  return `edgekv audit --cursor ${cursor}${filters.join("")} (or --all for every page)`;
}

/**
 * One page. The log spans every account, so a 403 is a client without SERVER_ADMIN (unless
 * --accountkey was refused, which the server's own message says).
 */
async function fetchPage(
  api: EdgeKvApi,
  query: Record<string, string | undefined>,
  options: AuditOptions,
): Promise<{ answer: unknown; page: AuditPageJson }> {
  try {
    const answer = await api.json({ method: "GET", base: SERVER_BASE, path: "/audit", query });
    return { answer, page: readAuditPage(answer) };
  } catch (error) {
    if (!(error instanceof ApiResponseError) || error.status !== 403 || options.accountkey !== undefined) {
      throw error;
    }
    // The error code and trace id, which describeFailure puts last.
    const reference = /\s(\([^()]*\))$/.exec(error.message)?.[1];
    throw new UserError(
      "Reading the audit log takes the SERVER_ADMIN capability, which this API client lacks. " +
        "The first-run client (the server's .edgekv/edgerc) has it; or create one, where the server's database is, " +
        "with: edgekv credentials create --account <id> --capabilities all,SERVER_ADMIN --edgerc ~/.edgerc --section admin" +
        (reference === undefined ? "" : ` ${reference}`),
    );
  }
}

/** Every event newer than `afterId`, oldest first, paging when there are more than one page holds. */
async function eventsAfter(
  api: EdgeKvApi,
  filter: AuditFilter,
  afterId: number,
  options: AuditOptions,
): Promise<AuditEventJson[]> {
  const newestFirst: AuditEventJson[] = [];
  let cursor: string | undefined;
  do {
    const { page } = await fetchPage(
      api,
      { ...filter, limit: POLL_PAGE, after: String(afterId), cursor },
      options,
    );
    newestFirst.push(...page.events);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return newestFirst.reverse();
}

/**
 * The newest events, then every new one as it comes, oldest first, until Ctrl-C. A poll under way
 * when Ctrl-C comes is finished and printed; a second Ctrl-C ends the process at once.
 */
async function follow(
  api: EdgeKvApi,
  { filter, intervalMs }: { filter: AuditFilter; intervalMs: number },
  options: AuditOptions,
  context: CliContext,
) {
  const paint = stdoutPaint(context);
  const human = options.json !== true;
  const print = (events: readonly AuditEventJson[]) => {
    for (const event of events) {
      printText(context.stdout, human ? followLine(event, paint) : JSON.stringify(event));
    }
  };
  const interruption = context.listenForInterrupt();
  try {
    const { page } = await fetchPage(
      api,
      { ...filter, limit: filter.limit ?? String(FOLLOW_FIRST) },
      options,
    );
    if (human) {
      context.stderr.write(`edgekv: following the audit log every ${intervalMs / 1000} s; Ctrl-C stops.\n`);
      printText(context.stdout, followHeader(paint));
    }
    print([...page.events].reverse());
    let lastId = page.events[0]?.id ?? 0;
    const { signal } = interruption;
    while (!signal.aborted) {
      await context.sleep(intervalMs, signal);
      if (signal.aborted) break;
      const fresh = await eventsAfter(api, filter, lastId, options);
      print(fresh);
      lastId = fresh.at(-1)?.id ?? lastId;
    }
  } finally {
    interruption.stop();
  }
}

async function list(api: EdgeKvApi, filter: AuditFilter, options: AuditOptions, context: CliContext) {
  const query = options.all === true && filter.limit === undefined ? { ...filter, limit: POLL_PAGE } : filter;
  const first = await fetchPage(api, { ...query, cursor: options.cursor }, options);
  let answer = first.answer;
  const events = [...first.page.events];
  let cursor = first.page.nextCursor;
  if (options.all === true) {
    while (cursor !== null) {
      const { page } = await fetchPage(api, { ...query, cursor }, options);
      events.push(...page.events);
      cursor = page.nextCursor;
    }
    answer = { events, nextCursor: null };
  }
  const footer = listingFooter(events.length, cursor === null ? null : nextPageCommand(filter, cursor));
  await printAnswer(context, options, {
    json: answer,
    text: events.length === 0 ? footer : `${renderAuditTable(events, stdoutPaint(context))}\n\n${footer}`,
    msg: footer,
    data: answer,
  });
}

export function auditCommand(context: CliContext): Command {
  const command = new Command("audit")
    .description(
      "Read the audit log: every state-changing request and refused authentication, newest first (--follow: as they come).",
    )
    .option(
      "--since <time>",
      "events at or after: an ISO time (2026-11-28T10:00:00Z), a date, or ago (15m, 1h, 2d)",
    )
    .option("--until <time>", "events before this time (same forms)")
    .option("--action <action>", 'one action (token.create) or a group ending in "." (token.)')
    .option("--limit <n>", "events per page, 1 to 500 (default 100; --follow's first batch: 20)")
    .option("--cursor <cursor>", "the page after the one that printed this cursor")
    .option("--all", "follow the cursor through every page")
    .option("-f, --follow", "then print new events as they come, oldest first, until Ctrl-C")
    .option("--interval <seconds>", "with --follow: seconds between polls", "1");
  addConnectionOptions(command);
  command.addHelpText(
    "after",
    `
Needs a client with SERVER_ADMIN (the log spans every account); the first-run client in the server's
.edgekv/edgerc has it. Times ago count back from this machine's clock. With --follow, --json prints
one JSON event per line; Ctrl-C ends it with exit code 0.`,
  );
  return addExamples(
    command,
    `edgekv audit --since 1h --action token. ${CONNECTION_EXAMPLE}`,
    "edgekv audit --action auth.refused --all --json",
    "edgekv audit --follow --interval 5",
  ).action(async (options: AuditOptions) => {
    const now = systemClock.now();
    const filter = filterOf(options, now);
    if (options.follow === true) {
      if (options.until !== undefined || options.cursor !== undefined || options.all === true) {
        throw new UserError(
          "--follow prints events as they come: give it --since and --action, not --until, --cursor or --all.",
        );
      }
      if (options.jsonout === true || options.jsonFile !== undefined) {
        throw new UserError("--follow prints a stream: use --json for one JSON event per line.");
      }
      const intervalMs = parseInterval(options.interval);
      await follow(await connect(options, context), { filter, intervalMs }, options, context);
      return;
    }
    await list(await connect(options, context), filter, options, context);
  });
}
