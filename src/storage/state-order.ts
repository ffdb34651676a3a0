import type { StoreState } from "./state-repository.ts";

// Each adapter reads the state in its own order (and PostgreSQL's text order depends on the
// database's collation), so both sort here, the same way: an export of the same state is the same
// bytes whichever database it came from.

const byKey =
  <T>(key: (row: T) => readonly (string | number)[]) =>
  (a: T, b: T): number => {
    const left = key(a);
    const right = key(b);
    for (let index = 0; index < left.length; index += 1) {
      const x = left[index] ?? "";
      const y = right[index] ?? "";
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  };

export function orderState(state: StoreState): StoreState {
  return {
    accounts: [...state.accounts].sort(byKey((row) => [row.id])),
    clients: [...state.clients].sort(byKey((row) => [row.clientToken])),
    signingKeys: [...state.signingKeys].sort(byKey((row) => [row.createdAt.getTime(), row.kid])),
    namespaces: [...state.namespaces].sort(byKey((row) => [row.accountId, row.network, row.name])),
    scheduledDeletions: [...state.scheduledDeletions].sort(
      byKey((row) => [row.accountId, row.network, row.namespace]),
    ),
    items: [...state.items].sort(
      byKey((row) => [row.accountId, row.network, row.namespace, row.group, row.key]),
    ),
    tokens: [...state.tokens].sort(byKey((row) => [row.accountId, row.name, row.uuid])),
    settings: Object.fromEntries(
      Object.entries(state.settings).sort(byKey(([key]: [string, string]) => [key])),
    ),
  };
}
