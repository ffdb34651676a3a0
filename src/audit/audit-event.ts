/**
 * What the audit log records. Routes name their action on their declaration; the command line,
 * which changes the database directly, records `credentials.*`, `state.import`, and `state.seed`
 * when it seeds a database; the web console `console.login` and, like the command line, `credentials.*`;
 * `auth.refused` is any request whose authentication failed, wherever it was sent.
 */
export const AUDIT_ACTIONS = [
  "account.initialize",
  "database.policy",
  "namespace.create",
  "namespace.update",
  "namespace.delete",
  "namespace.reauthorize",
  "item.write",
  "item.delete",
  "token.create",
  "token.refresh",
  "token.revoke",
  "clock.move",
  "state.seed",
  "state.reset",
  "state.import",
  "credentials.create",
  "credentials.revoke",
  "console.key",
  "console.login",
  "auth.refused",
] as const;

/** The actions only the command line records: no route changes these. */
export const COMMAND_LINE_ACTIONS = ["state.import", "credentials.create", "credentials.revoke"] as const;

/**
 * Actions recorded by the web console's own endpoints, which are not in the API document (the
 * console also records `credentials.create` and `credentials.revoke`, as the command line does).
 */
export const CONSOLE_ACTIONS = ["console.login"] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const isAuditAction = (value: string): value is AuditAction =>
  (AUDIT_ACTIONS as readonly string[]).includes(value);

/** An exact action, or every action starting with a prefix that ends in "." (`token.`). */
export function actionsMatching(value: string): AuditAction[] {
  if (value.endsWith(".")) return AUDIT_ACTIONS.filter((action) => action.startsWith(value));
  return isAuditAction(value) ? [value] : [];
}

/** Events in one page of GET /_edgekv/v1/audit: at most, and when the query does not say. */
export const MAX_PAGE = 500;
export const DEFAULT_PAGE = 100;

/** `ok`: 2xx. `refused`: authentication or authorization said no (401, 403, `auth_*`). `failed`: the rest. */
export const AUDIT_OUTCOMES = ["ok", "refused", "failed"] as const;

export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** How the change came: a request signed with EdgeGrid (or an access token), the web console, or a command on the database. */
export const AUDIT_VIAS = ["api", "console", "cli"] as const;

export type AuditVia = (typeof AUDIT_VIAS)[number];

/**
 * One recorded event. It names who and what, never a secret, a request body or an item value: the
 * client token (not its secret or signature), the access token's uuid (not its JWT).
 */
export interface AuditEvent {
  /** Increases with every event recorded: the log's order, and where a reader polling it left off. */
  readonly id: number;
  readonly at: Date;
  readonly action: AuditAction;
  /** What the action was on: `tokens/my_token`, `production/namespaces/ns/groups/g/items/k`; for
   * `auth.refused`, the method and path. */
  readonly target: string;
  /** The HTTP status answered; null for what was done outside HTTP (the command line). */
  readonly status: number | null;
  readonly outcome: AuditOutcome;
  /** The account acted on; null when authentication did not get that far. */
  readonly accountId: string | null;
  /**
   * The EdgeGrid client authentication found; for `auth.refused`, the one the Authorization header
   * names, which nothing has verified.
   */
  readonly clientToken: string | null;
  /** The access token a data-plane request presented, once it was accepted. */
  readonly tokenUuid: string | null;
  /** The response's X-Trace-Id; null outside HTTP. */
  readonly traceId: string | null;
  /** The error's code (`token_conflict`, `auth_signature`, …) when one answered. */
  readonly errorCode: string | null;
  readonly via: AuditVia;
}

export type NewAuditEvent = Omit<AuditEvent, "id">;

/** Which events a listing returns, newest (highest id) first. */
export interface AuditQuery {
  /** Recorded at or after this time. */
  readonly since?: Date | undefined;
  /** Recorded before this time. */
  readonly until?: Date | undefined;
  /** Only these actions; every action when absent. */
  readonly actions?: readonly AuditAction[] | undefined;
  /** Only events older than this one: the next page. */
  readonly beforeId?: number | undefined;
  /** Only events newer than this one: what a reader following the log has not seen. */
  readonly afterId?: number | undefined;
  readonly limit: number;
}
