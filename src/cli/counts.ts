/** "1 account, 2 API clients": counts in words, in the order given; an empty list for nothing. */
export function describeCounts(counts: ReadonlyArray<readonly [number, string, string?]>): string[] {
  return counts
    .filter(([count]) => count > 0)
    .map(([count, one, many = `${one}s`]) => `${count} ${count === 1 ? one : many}`);
}

/** What a seed added, in words: "1 account, 2 API clients, …", or null for nothing. */
export function describeAdded(
  added: Readonly<Record<"accounts" | "clients" | "namespaces" | "tokens" | "items", number>>,
): string | null {
  const words = describeCounts([
    [added.accounts, "account"],
    [added.clients, "API client"],
    [added.namespaces, "namespace"],
    [added.tokens, "token"],
    [added.items, "item"],
  ]);
  return words.length === 0 ? null : words.join(", ");
}
