import { z } from "zod";
import {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  AUDIT_VIAS,
  type AuditEvent,
  actionsMatching,
  DEFAULT_PAGE,
  MAX_PAGE,
} from "./audit-event.ts";

// A cursor names the last event of a page. It is opaque to clients, so what it holds may change;
// only the exact encoding this server gives out is accepted.
const CURSOR = /^before:(\d{1,15})$/;
export const encodeCursor = (id: number): string => Buffer.from(`before:${id}`).toString("base64url");
function decodeCursor(text: string): number | null {
  const id = CURSOR.exec(Buffer.from(text, "base64url").toString("utf8"))?.[1];
  return id !== undefined && encodeCursor(Number(id)) === text ? Number(id) : null;
}

const timeMessage = (name: string) => `${name} must be an ISO-8601 time such as "2026-11-28T10:00:00Z".`;
const time = (name: string, description: string) =>
  z.iso
    .datetime({ offset: true, error: timeMessage(name) })
    .transform((text) => new Date(text))
    .optional()
    .meta({ description });

const ACTION_MESSAGE = `action must be an audit action (${AUDIT_ACTIONS.join(", ")}) or the start of some, ending in "." (such as "token.").`;
const LIMIT_MESSAGE = `limit must be an integer from 1 to ${MAX_PAGE}.`;
const CURSOR_MESSAGE = "cursor must be a nextCursor this server answered with.";
const AFTER_MESSAGE = "after must be an event id (a whole number).";

export const auditQuery = z
  .object({
    since: time("since", "Only events at or after this time."),
    until: time("until", "Only events before this time."),
    action: z
      .string({ error: ACTION_MESSAGE })
      .transform((value, context) => {
        const matching = actionsMatching(value);
        if (matching.length === 0) context.addIssue({ code: "custom", message: ACTION_MESSAGE });
        return matching;
      })
      .optional()
      .meta({ description: "Only this action (`token.create`), or the actions that start so (`token.`)." }),
    limit: z
      .string({ error: LIMIT_MESSAGE })
      .regex(/^\d{1,3}$/, LIMIT_MESSAGE)
      .transform(Number)
      .refine((count) => count >= 1 && count <= MAX_PAGE, LIMIT_MESSAGE)
      .optional()
      .meta({ description: `At most this many events (1 to ${MAX_PAGE}; default ${DEFAULT_PAGE}).` }),
    cursor: z
      .string({ error: CURSOR_MESSAGE })
      .transform((text, context) => {
        const id = decodeCursor(text);
        if (id === null) context.addIssue({ code: "custom", message: CURSOR_MESSAGE });
        return id ?? 0;
      })
      .optional()
      .meta({ description: "The previous page's `nextCursor`: the events older than that page's." }),
    after: z
      .string({ error: AFTER_MESSAGE })
      .regex(/^\d{1,15}$/, AFTER_MESSAGE)
      .transform(Number)
      .optional()
      .meta({
        description:
          "Only events newer than the one with this id: poll with the newest id seen to follow the log.",
      }),
  })
  .refine((query) => query.since === undefined || query.until === undefined || query.since < query.until, {
    error: "until must be later than since.",
  });

const auditEvent = z
  .object({
    id: z.number().int().min(1).meta({ description: "Higher for every event recorded after this one." }),
    at: z.iso.datetime(),
    action: z.enum(AUDIT_ACTIONS),
    target: z.string().meta({
      description:
        "What the action was on (`tokens/my_token`, `production/namespaces/ns/groups/g/items/k`); for `auth.refused`, the method and path.",
    }),
    status: z
      .number()
      .int()
      .min(100)
      .max(599)
      .nullable()
      .meta({ description: "The HTTP status; null for the command line's." }),
    outcome: z.enum(AUDIT_OUTCOMES).meta({
      description: "`ok` (2xx), `refused` (authentication or authorization said no) or `failed`.",
    }),
    accountId: z.string().nullable().meta({ description: "The account acted on, once known." }),
    clientToken: z.string().nullable().meta({
      description:
        "The EdgeGrid client authentication found; for `auth.refused`, the one the Authorization header names (unverified).",
    }),
    tokenUuid: z.string().nullable().meta({ description: "The access token of a data-plane request." }),
    traceId: z.string().nullable().meta({ description: "The response's X-Trace-Id." }),
    errorCode: z.string().nullable().meta({ description: "The error's code, when one answered." }),
    via: z.enum(AUDIT_VIAS).meta({
      description:
        "`api` (a request signed with EdgeGrid, or the data plane's), `console` (the web console) or `cli` (a command on the database).",
    }),
  })
  .meta({ id: "AuditEvent" });

export const auditPageResponse = z.object({
  events: z.array(auditEvent),
  nextCursor: z.string().nullable().meta({
    description: "Pass as `cursor` (with the same filters) for older events; null when there are none.",
  }),
});

export const auditEventView = (event: AuditEvent): z.input<typeof auditEvent> => ({
  ...event,
  at: event.at.toISOString(),
});
