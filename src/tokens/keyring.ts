import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type JWK, type KeyObject } from "jose";
import type { SecretBox } from "../accounts/secret-box.ts";
import type { Clock } from "../clock.ts";
import type { Store } from "../storage/store.ts";
import { daysToMs } from "./dates.ts";
import type { SigningKey } from "./model.ts";

export interface KeyringOptions {
  store: Store;
  secretBox: SecretBox;
  clock: Clock;
  /** A new signing key takes over after this many days. */
  rotationDays: number;
  /** The longest a token JWT can stay valid; retired keys stay published that long. */
  maxTokenLifetimeDays: number;
}

export type Keyring = ReturnType<typeof createKeyring>;

/**
 * The token signing keys (ES256). The newest signs; every key that can still have valid tokens is
 * published in the JWKS. Rotation inserts conditionally, so several processes rotate once.
 */
export function createKeyring({
  store,
  secretBox,
  clock,
  rotationDays,
  maxTokenLifetimeDays,
}: KeyringOptions) {
  let published: SigningKey[] = [];
  const privateKeys = new Map<string, KeyObject | Uint8Array>();
  const publicKeys = new Map<string, KeyObject | Uint8Array>();

  async function reload(): Promise<void> {
    published = await store.signingKeys.listPublished(clock.now());
  }

  async function generate(now: Date): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    const kid = randomUUID();
    return {
      kid,
      algorithm: "ES256",
      sealedPrivateJwk: secretBox.seal(JSON.stringify(await exportJWK(privateKey))),
      publicJwk: {
        ...((await exportJWK(publicKey)) as Record<string, string>),
        kid,
        alg: "ES256",
        use: "sig",
      },
      createdAt: now,
      publishUntil: new Date(now.getTime() + daysToMs(rotationDays + maxTokenLifetimeDays + 1)),
    };
  }

  /** Makes sure a key younger than the rotation period signs; returns whether one was created. */
  async function rotateIfDue(): Promise<boolean> {
    await reload();
    const now = clock.now();
    const newest = published[0];
    const since = new Date(now.getTime() - daysToMs(rotationDays));
    if (newest !== undefined && newest.createdAt.getTime() > since.getTime()) return false;
    const created = await store.signingKeys.insertUnlessRotated(await generate(now), since);
    await reload();
    return created;
  }

  /** A key is usable only while published; the imported form is cached per kid. */
  async function keyOf(kid: string, cache: Map<string, KeyObject | Uint8Array>, part: "private" | "public") {
    let key = published.find((candidate) => candidate.kid === kid);
    if (key === undefined) {
      await reload();
      key = published.find((candidate) => candidate.kid === kid);
    }
    if (key === undefined) {
      cache.delete(kid);
      return null;
    }
    const cached = cache.get(kid);
    if (cached !== undefined) return cached;
    const jwk: JWK =
      part === "private" ? (JSON.parse(secretBox.open(key.sealedPrivateJwk)) as JWK) : { ...key.publicJwk };
    const imported = await importJWK(jwk, "ES256");
    cache.set(kid, imported);
    return imported;
  }

  return {
    rotateIfDue,
    reload,
    /** The key that signs now. */
    async signer(): Promise<{ kid: string; key: KeyObject | Uint8Array }> {
      let newest = published[0];
      if (newest === undefined) {
        await rotateIfDue();
        newest = published[0];
      }
      if (newest === undefined) throw new Error("No token signing key is available.");
      const key = await keyOf(newest.kid, privateKeys, "private");
      if (key === null) throw new Error(`Signing key ${newest.kid} disappeared.`);
      return { kid: newest.kid, key };
    },
    /** The public key for a `kid`, or null when it is unknown or no longer published. */
    verifyingKey: (kid: string) => keyOf(kid, publicKeys, "public"),
    jwks: () => ({ keys: published.map((key) => key.publicJwk) }),
  };
}
