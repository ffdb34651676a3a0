import type { SecretBox } from "../accounts/secret-box.ts";
import { EdgeKvError } from "../errors.ts";
import type { Store } from "../storage/store.ts";
import { firstProblem } from "./issues.ts";
import { fromSnapshot, toSnapshot } from "./snapshot-convert.ts";
import { type Snapshot, snapshotSchema } from "./snapshot-format.ts";

/** A snapshot file that cannot be imported as it is. */
export class SnapshotError extends EdgeKvError {
  override name = "SnapshotError";
}

export interface SnapshotDeps {
  store: Store;
  secretBox: SecretBox;
  /** Where the secret key came from, for the message when sealed secrets do not open with it. */
  keySource: string;
}

/** The whole state, in one consistent read; secrets sealed as stored unless `includeSecrets`. */
export async function exportState(
  { store, secretBox }: Pick<SnapshotDeps, "store" | "secretBox">,
  { includeSecrets }: { includeSecrets: boolean },
): Promise<Snapshot> {
  return toSnapshot(await store.state.read(), includeSecrets ? (sealed) => secretBox.open(sealed) : null);
}

/** The snapshot's text as written to a file: stable, so the same state gives the same bytes. */
export const snapshotText = (snapshot: Snapshot): string => `${JSON.stringify(snapshot, null, 2)}\n`;

/** Parses and checks a snapshot file's text; `source` names it in the message of the first problem. */
export function readSnapshot(text: string, source: string): Snapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(`${source} is not JSON: ${(error as Error).message}`);
  }
  const parsed = firstProblem(snapshotSchema, value, "the snapshot");
  if (!parsed.ok)
    throw new SnapshotError(`${source} is not a snapshot this server can import: ${parsed.problem}`);
  return parsed.data;
}

/**
 * Replaces the whole state with the snapshot, in one transaction. Without `replace`, a database
 * that holds anything is left alone: the answer is then false.
 */
export async function importState(
  { store, secretBox, keySource }: SnapshotDeps,
  snapshot: Snapshot,
  { replace }: { replace: boolean },
): Promise<boolean> {
  return store.state.replace(fromSnapshot(snapshot, secretBox, keySource), { onlyIfEmpty: !replace });
}

/** "2 accounts, 3 clients, …": what a snapshot holds, in one line. */
export function describeSnapshot(snapshot: Snapshot): string {
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  return [
    count(snapshot.accounts.length, "account"),
    count(snapshot.clients.length, "API client"),
    count(snapshot.tokens.length, "token"),
    count(snapshot.signingKeys.length, "signing key"),
    count(snapshot.namespaces.length, "namespace"),
    count(snapshot.items.length, "item"),
  ].join(", ");
}
