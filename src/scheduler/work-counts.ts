/** What a run of scheduled work did, by name: `{ refreshed: 2, purged: 0 }`. */
export type WorkCounts = Record<string, number>;

/** Adds `counts` into `sums`, name by name; a name seen first here starts from zero. */
export function addCounts(sums: WorkCounts, counts: WorkCounts): void {
  for (const [name, count] of Object.entries(counts)) sums[name] = (sums[name] ?? 0) + count;
}

/** What the work did between two readings of a scheduler's totals. */
export function countsSince(before: WorkCounts, after: WorkCounts): WorkCounts {
  return Object.fromEntries(
    Object.entries(after).map(([name, count]) => [name, count - (before[name] ?? 0)]),
  );
}
