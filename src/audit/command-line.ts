import type { Store } from "../storage/store.ts";
import type { AuditAction } from "./audit-event.ts";

/**
 * Records what a command changed in the database directly, with no request around it: no status,
 * no trace id, no client token (the command line is not an API client). Unlike a request, whose
 * answer is already out, a command fails when its record cannot be written: it has a user to tell.
 */
export async function recordCommandLineEvent(
  store: Pick<Store, "audit">,
  event: { action: AuditAction; target: string; accountId: string | null; at: Date; clientToken?: string },
): Promise<void> {
  await store.audit.record({
    at: event.at,
    action: event.action,
    target: event.target,
    status: null,
    outcome: "ok",
    accountId: event.accountId,
    clientToken: event.clientToken ?? null,
    tokenUuid: null,
    traceId: null,
    errorCode: null,
    via: "cli",
  });
}
