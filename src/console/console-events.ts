import type { ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import type { Caller } from "../accounts/caller.ts";
import type { AuditLog } from "../audit/audit-log.ts";
import { auditEventView } from "../audit/audit-schemas.ts";
import type { Clock } from "../clock.ts";
import { isApiError } from "../errors.ts";
import { CONSOLE_API_PREFIX } from "../http/console-prefix.ts";
import { incomingOf } from "../http/pipeline.ts";
import type { AuthScheme } from "../http/route.ts";
import { SERVER_TIME_HEADER } from "../http/server-time.ts";

/** How often the stream looks at the database: a change made through another node shows too. */
const TICK_MS = 1_000;
/** The time is sent every this many ticks, and at once when a manual clock moves. */
const TIME_TICKS = 5;
/** A comment this often keeps proxies from closing a quiet stream. */
const COMMENT_TICKS = 15;
/** Audit events sent per tick at most; a burst larger than this follows on the next ticks. */
const AUDIT_BATCH = 200;
/**
 * The session is looked at every this many ticks, without extending it: a stream ends with its
 * session (logged out, or idle), and the page's reconnection then learns it is gone.
 */
const SESSION_TICKS = 30;

/**
 * `GET /_edgekv/console/api/events`: server-sent events for the console's live views. `tokens` (the
 * token list, first and whenever it changes), `audit` (each event recorded after the stream opened)
 * and `time` (the server's clock). Streams end when the client goes or the server closes.
 */
export function registerConsoleEvents(
  app: FastifyInstance,
  {
    auth,
    isLive,
    tokens,
    audit,
    clock,
    manualClock,
    tickMs = TICK_MS,
  }: {
    auth: AuthScheme<Caller>;
    /** Whether the caller's session is still live (it is not extended by the stream). */
    isLive(caller: Caller): Promise<boolean>;
    /** What `GET /edgekv/v1/tokens?includeExpired=true` answers this caller. */
    tokens(caller: Caller): Promise<unknown>;
    audit: Pick<AuditLog, "list"> | null;
    clock: Clock;
    /** A manual clock takes the database's time before each look. */
    manualClock: { sync(): Promise<unknown> } | null;
    tickMs?: number;
  },
): void {
  const open = new Set<() => void>();
  // Open streams would keep the server from closing: they end first.
  app.addHook("preClose", async () => {
    for (const end of [...open]) end();
  });

  app.get(`${CONSOLE_API_PREFIX}/events`, async (request, reply) => {
    const caller = await auth.authenticate(incomingOf(request));
    let lastAudit = audit === null ? 0 : ((await audit.list({ limit: 1 }))[0]?.id ?? 0);
    reply.hijack();
    const response: ServerResponse = reply.raw;
    response.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
      "X-Content-Type-Options": "nosniff",
      "X-Trace-Id": request.id,
      [SERVER_TIME_HEADER]: clock.now().toISOString(),
    });
    response.write("retry: 2000\n\n");
    const send = (event: string, data: unknown) => {
      response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };

    let tick = 0;
    let busy = false;
    let lastTokens = "";
    let lastTime: number | null = null;
    const look = async () => {
      if (busy || response.writableEnded) return;
      busy = true;
      try {
        if (tick % SESSION_TICKS === SESSION_TICKS - 1 && !(await isLive(caller))) {
          end();
          return;
        }
        await manualClock?.sync();
        // An account the list refuses (not initialized yet) has no tokens to send: the page's own
        // request for the list says why.
        const list = await tokens(caller).catch((error: unknown) => {
          if (isApiError(error)) return undefined;
          throw error;
        });
        const text = JSON.stringify(list);
        if (list !== undefined && text !== lastTokens) {
          lastTokens = text;
          send("tokens", list);
        }
        if (audit !== null) {
          const events = await audit.list({ afterId: lastAudit, limit: AUDIT_BATCH });
          for (const event of events.reverse()) {
            send("audit", auditEventView(event));
            lastAudit = event.id;
          }
        }
        const now = clock.now();
        // A manual clock stands still until it is moved: any change is a move.
        const moved = manualClock !== null && lastTime !== null && now.getTime() !== lastTime;
        if (tick % TIME_TICKS === 0 || moved) {
          lastTime = now.getTime();
          send("time", { now: now.toISOString(), clock: manualClock === null ? "system" : "manual" });
        }
        if (tick % COMMENT_TICKS === COMMENT_TICKS - 1) response.write(": keep-alive\n\n");
        tick += 1;
      } catch (error) {
        request.log.warn({ err: error }, "the console's event stream could not read the database");
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void look(), tickMs);
    const end = () => {
      clearInterval(timer);
      open.delete(end);
      if (!response.writableEnded) response.end();
    };
    open.add(end);
    request.raw.socket.once("close", end);
    response.once("close", end);
    await look();
  });
}
