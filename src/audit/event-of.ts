import { isApiError } from "../errors.ts";
import { isConsoleTarget } from "../http/console-prefix.ts";
import type { Settled } from "../http/pipeline.ts";
import { actorOf, namedClientToken } from "./actor.ts";
import { type AuditOutcome, type AuditVia, isAuditAction, type NewAuditEvent } from "./audit-event.ts";

/** Longer targets are cut: an item path is at most some 700 characters, a scanner's path anything. */
const MAX_TARGET_LENGTH = 1024;

/**
 * Path parameters arrive percent-decoded, so they may hold control characters (`%00`), which
 * PostgreSQL cannot store in text: they become U+FFFD.
 */
const storable = (text: string): string => text.replace(/\p{Cc}/gu, "\uFFFD").slice(0, MAX_TARGET_LENGTH);

// A missing console session is not recorded: a page left open past its session asks again and again.
const refusedAuthentication = (code: string): boolean =>
  code.startsWith("auth_") ||
  code === "dp_unauthorized" ||
  code === "console_login" ||
  code === "console_origin";

export function outcomeOf(status: number, errorCode: string | null): AuditOutcome {
  if (status < 400) return "ok";
  if (status === 401 || status === 403 || (errorCode !== null && refusedAuthentication(errorCode)))
    return "refused";
  return "failed";
}

/**
 * What the audit log records for an answered request: `auth.refused` for any request whose
 * authentication failed, the route's action for a route that declares one, else nothing (reads).
 */
export function eventOf(settled: Settled, at: Date): NewAuditEvent | null {
  const { head, status } = settled;
  const errorCode = isApiError(settled.error) ? settled.error.code : null;
  const via: AuditVia = isConsoleTarget(head.target) ? "console" : "api";
  const common = {
    at,
    status,
    outcome: outcomeOf(status, errorCode),
    traceId: settled.traceId,
    errorCode,
    via,
  };
  if (errorCode !== null && refusedAuthentication(errorCode)) {
    const path = head.target.split("?")[0] ?? "/";
    return {
      ...common,
      action: "auth.refused",
      target: storable(`${head.method} ${path}`),
      accountId: null,
      clientToken: namedClientToken(head),
      tokenUuid: null,
    };
  }
  const audit = settled.route?.audit;
  if (audit === undefined) return null;
  if (!isAuditAction(audit.action)) throw new Error(`${audit.action} is not an audit action.`);
  return {
    ...common,
    action: audit.action,
    target: storable(audit.target({ params: settled.params, body: settled.body })),
    ...actorOf(settled.caller),
  };
}
