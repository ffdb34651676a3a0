import { type ApiClient, CAPABILITIES, type Capability } from "../accounts/model.ts";
import type { SecretBox } from "../accounts/secret-box.ts";
import { constantTimeEqual } from "../edgegrid/constant-time.ts";
import { ApiError } from "../errors.ts";
import type { Store } from "../storage/store.ts";
import { problemAt } from "./seed-rules.ts";
import type { SeedClient } from "./seed-schema.ts";

/** "all" is every EdgeKV capability; this server's own (SERVER_ADMIN) only by name. */
export function expandCapabilities(names: readonly string[]): Capability[] {
  return [...new Set(names.flatMap((name) => (name === "all" ? CAPABILITIES : [name as Capability])))];
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && new Set([...a, ...b]).size === a.length;

/**
 * The client to add, or null when the stored one is this client already. A stored client that
 * differs is refused: it would not be what the seed (and the `.edgerc` made from it) says.
 */
export async function planClient(
  { store, secretBox }: { store: Store; secretBox: SecretBox },
  seeded: SeedClient,
  { accountId, now, path }: { accountId: string; now: Date; path: readonly PropertyKey[] },
): Promise<ApiClient | null> {
  const capabilities = expandCapabilities(seeded.capabilities);
  const stored = await store.clients.get(seeded.clientToken);
  if (stored === null) {
    return {
      clientToken: seeded.clientToken,
      accessToken: seeded.accessToken,
      sealedSecret: secretBox.seal(seeded.clientSecret),
      accountId,
      capabilities,
      canSwitchAccounts: seeded.canSwitchAccounts,
      enabled: true,
      description: seeded.description,
      createdAt: now,
    };
  }
  const conflict = (field: string, message: string) =>
    new ApiError("kv_conflict", problemAt([...path, field], `API client ${seeded.clientToken} ${message}`));
  if (stored.accountId !== accountId) throw conflict("clientToken", `exists on account ${stored.accountId}`);
  if (!stored.enabled) throw conflict("clientToken", "exists but is revoked");
  if (!constantTimeEqual(stored.accessToken, seeded.accessToken)) {
    throw conflict("accessToken", "exists with another access token");
  }
  if (!constantTimeEqual(secretBox.open(stored.sealedSecret), seeded.clientSecret)) {
    throw conflict("clientSecret", "exists with another secret");
  }
  if (!sameSet(stored.capabilities, capabilities)) {
    throw conflict("capabilities", `exists with other capabilities (${stored.capabilities.join(", ")})`);
  }
  if (stored.canSwitchAccounts !== seeded.canSwitchAccounts) {
    throw conflict("canSwitchAccounts", `exists with canSwitchAccounts ${stored.canSwitchAccounts}`);
  }
  return null;
}
