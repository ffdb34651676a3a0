import type { SecretBox } from "../accounts/secret-box.ts";
import { EdgeKvError } from "../errors.ts";
import type { StoreState } from "../storage/state-repository.ts";
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Snapshot } from "./snapshot-format.ts";

/** A snapshot whose sealed secrets do not open with this database's secret key. */
export class ForeignSecretsError extends EdgeKvError {
  override name = "ForeignSecretsError";
}

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date === null ? null : date.toISOString());
const dateOrNull = (text: string | null) => (text === null ? null : new Date(text));

/**
 * The state as a snapshot: dates to the millisecond, values as base64 with their content type.
 * With `open`, client secrets and private keys go out in plain text instead of sealed.
 */
export function toSnapshot(state: StoreState, open: ((sealed: string) => string) | null): Snapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    secrets: open === null ? "sealed" : "plain",
    settings: { ...state.settings },
    accounts: state.accounts.map((row) => ({
      id: row.id,
      cpcode: row.cpcode,
      initializedAt: isoOrNull(row.initializedAt),
      dataAccessPolicy: { ...row.dataAccessPolicy },
      createdAt: iso(row.createdAt),
    })),
    clients: state.clients.map(({ sealedSecret, ...row }) => ({
      clientToken: row.clientToken,
      accessToken: row.accessToken,
      ...(open === null ? { sealedSecret } : { clientSecret: open(sealedSecret) }),
      accountId: row.accountId,
      capabilities: [...row.capabilities],
      canSwitchAccounts: row.canSwitchAccounts,
      enabled: row.enabled,
      description: row.description,
      createdAt: iso(row.createdAt),
    })),
    signingKeys: state.signingKeys.map((row) => ({
      kid: row.kid,
      algorithm: row.algorithm,
      ...(open === null
        ? { sealedPrivateJwk: row.sealedPrivateJwk }
        : { privateJwk: JSON.parse(open(row.sealedPrivateJwk)) as Record<string, string> }),
      publicJwk: { ...row.publicJwk },
      createdAt: iso(row.createdAt),
      publishUntil: iso(row.publishUntil),
    })),
    namespaces: state.namespaces.map((row) => ({ ...row, createdAt: iso(row.createdAt) })),
    scheduledDeletions: state.scheduledDeletions.map((row) => ({ ...row, deleteAt: iso(row.deleteAt) })),
    items: state.items.map((row) => ({
      accountId: row.accountId,
      network: row.network,
      namespace: row.namespace,
      group: row.group,
      key: row.key,
      contentType: row.contentType,
      value: row.value.toString("base64"),
      updatedAt: iso(row.updatedAt),
      expiresAt: isoOrNull(row.expiresAt),
    })),
    tokens: state.tokens.map((row) => ({
      ...row,
      namespacePermissions: Object.fromEntries(
        Object.entries(row.namespacePermissions).map(([name, permissions]) => [name, [...permissions]]),
      ),
      edgeWorkerIds: row.edgeWorkerIds === null ? null : [...row.edgeWorkerIds],
      expiresAt: isoOrNull(row.expiresAt),
      issuedAt: iso(row.issuedAt),
      activationDueAt: iso(row.activationDueAt),
      revokedAt: isoOrNull(row.revokedAt),
      createdAt: iso(row.createdAt),
    })),
  };
}

/**
 * The snapshot as rows for this database: plain secrets sealed with its key, sealed ones checked
 * to open with it (else nothing could use them once imported).
 */
export function fromSnapshot(snapshot: Snapshot, secretBox: SecretBox, keySource: string): StoreState {
  const seal = (plain: string | undefined, sealed: string | undefined): string => {
    if (plain !== undefined) return secretBox.seal(plain);
    if (sealed === undefined) throw new Error("A validated snapshot holds every secret in one form.");
    try {
      secretBox.open(sealed);
    } catch {
      throw new ForeignSecretsError(
        `The snapshot's secrets were sealed with another secret key than this database's (${keySource}). ` +
          "Import with the key of the database it came from (EDGEKV_SECRET_KEY, or that data directory's secret.key), " +
          "or export it again with --include-secrets.",
      );
    }
    return sealed;
  };
  return {
    settings: { ...snapshot.settings },
    accounts: snapshot.accounts.map((row) => ({
      ...row,
      initializedAt: dateOrNull(row.initializedAt),
      createdAt: new Date(row.createdAt),
    })),
    clients: snapshot.clients.map(({ clientSecret, sealedSecret, ...row }) => ({
      ...row,
      sealedSecret: seal(clientSecret, sealedSecret),
      createdAt: new Date(row.createdAt),
    })),
    signingKeys: snapshot.signingKeys.map(({ privateJwk, sealedPrivateJwk, ...row }) => ({
      ...row,
      sealedPrivateJwk: seal(
        privateJwk === undefined ? undefined : JSON.stringify(privateJwk),
        sealedPrivateJwk,
      ),
      createdAt: new Date(row.createdAt),
      publishUntil: new Date(row.publishUntil),
    })),
    namespaces: snapshot.namespaces.map((row) => ({ ...row, createdAt: new Date(row.createdAt) })),
    scheduledDeletions: snapshot.scheduledDeletions.map((row) => ({
      ...row,
      deleteAt: new Date(row.deleteAt),
    })),
    items: snapshot.items.map((row) => ({
      ...row,
      value: Buffer.from(row.value, "base64"),
      updatedAt: new Date(row.updatedAt),
      expiresAt: dateOrNull(row.expiresAt),
    })),
    tokens: snapshot.tokens.map((row) => ({
      ...row,
      expiresAt: dateOrNull(row.expiresAt),
      issuedAt: new Date(row.issuedAt),
      activationDueAt: new Date(row.activationDueAt),
      revokedAt: dateOrNull(row.revokedAt),
      createdAt: new Date(row.createdAt),
    })),
  };
}
