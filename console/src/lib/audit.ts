import { AUDIT_ACTIONS } from "../../../src/audit/audit-event.ts";

/** The actions to offer: the known ones and any other the log shows (a newer server's), sorted. */
export function auditActions(seen: readonly { readonly action: string }[]): string[] {
  return [...new Set([...AUDIT_ACTIONS, ...seen.map((event) => event.action)])].sort();
}

/** `token.` and the like: every action of a group, as the API's `action=token.` filter takes it. */
export const groupsOf = (actions: readonly string[]): string[] => [
  ...new Set(actions.map((action) => `${action.split(".")[0]}.`)),
];

interface Filterable {
  readonly action: string;
  readonly target: string;
  readonly clientToken: string | null;
  readonly accountId: string | null;
  readonly outcome: string;
}

/** The same test the server applies to `action`, and a text search over what a row shows. */
export function matchesAudit(event: Filterable, action: string, search: string): boolean {
  if (action !== "" && !(action.endsWith(".") ? event.action.startsWith(action) : event.action === action)) {
    return false;
  }
  const needle = search.trim().toLowerCase();
  if (needle === "") return true;
  return [event.action, event.target, event.clientToken ?? "", event.accountId ?? "", event.outcome].some(
    (field) => field.toLowerCase().includes(needle),
  );
}

/** Newest first, each id once: a page of the log merged with events the stream delivered. */
export function mergeAudit<T extends { readonly id: number }>(...lists: readonly (readonly T[])[]): T[] {
  const byId = new Map<number, T>();
  for (const list of lists) for (const event of list) byId.set(event.id, event);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}
