import type { Caller } from "../accounts/caller.ts";
import { anyCapability } from "../accounts/capabilities.ts";
import { type AuthScheme, defineRoute, json } from "../http/route.ts";
import { DEFAULT_PAGE } from "./audit-event.ts";
import type { AuditLog } from "./audit-log.ts";
import { auditEventView, auditPageResponse, auditQuery, encodeCursor } from "./audit-schemas.ts";

/** `GET /_edgekv/v1/audit`: the audit log of every account, for the server's admin. */
export function auditRoute({ log, edgegrid }: { log: Pick<AuditLog, "list">; edgegrid: AuthScheme<Caller> }) {
  return defineRoute({
    operationId: "listAuditEvents",
    method: "GET",
    path: "/_edgekv/v1/audit",
    summary: "Read the audit log",
    description:
      "Every request that changes state (tokens, namespaces, items, policies, the clock), whatever its answer, and " +
      "every refused authentication; newest first, kept for `--audit-retention-days`. Page back with `cursor`. " +
      "To follow the log, poll with `after` set to the newest `id` seen; when more than `limit` events are newer, " +
      "page through them with `cursor` as well. The log spans every account, so reading it takes SERVER_ADMIN.",
    tags: ["edgekv-server"],
    auth: edgegrid,
    access: anyCapability("SERVER_ADMIN"),
    query: auditQuery,
    responses: { 200: json(auditPageResponse, "Events, newest first; `[]` when none match.") },
    errors: [],
    handler: async ({ query }) => {
      const limit = query.limit ?? DEFAULT_PAGE;
      // One more than the page tells whether there is a next page.
      const found = await log.list({
        since: query.since,
        until: query.until,
        actions: query.action,
        beforeId: query.cursor,
        afterId: query.after,
        limit: limit + 1,
      });
      const events = found.slice(0, limit);
      const last = events.at(-1);
      return {
        status: 200,
        body: {
          events: events.map(auditEventView),
          nextCursor: found.length > limit && last !== undefined ? encodeCursor(last.id) : null,
        },
      };
    },
  });
}
