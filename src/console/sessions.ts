import { createHash, randomBytes as cryptoRandomBytes } from "node:crypto";
import type { RandomBytes } from "../accounts/credentials.ts";
import type { ApiClient } from "../accounts/model.ts";
import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import type { ConsoleSession, Store } from "../storage/store.ts";

/** A login key opens the console once, within a day. */
export const LOGIN_KEY_SECONDS = 24 * 3600;
/** A session ends after this long without a request… */
export const IDLE_SECONDS = 30 * 60;
/** …and this long after the login in any case. */
export const SESSION_SECONDS = 12 * 3600;

export const LOGIN_PROBLEM =
  "This login key is unknown, used or expired: get a new one with `edgekv console`.";

/** Keys and sessions are stored only as this: whoever reads the database cannot log in with it. */
export const sha256 = (secret: string): string => createHash("sha256").update(secret, "utf8").digest("hex");

const secret = (randomBytes: RandomBytes): string => randomBytes(32).toString("base64url");

const later = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

export type ConsoleSessions = ReturnType<typeof createConsoleSessions>;

/**
 * Login keys and sessions of the web console. Their times are real time (`clock` is the wall
 * clock): moving a manual clock by days must not end every session.
 */
export function createConsoleSessions({
  store,
  clock,
  randomBytes = cryptoRandomBytes,
  administrator,
}: {
  store: Pick<Store, "console" | "clients">;
  clock: Clock;
  randomBytes?: RandomBytes;
  /** The client every session acts as (the first-run administrator); null before a first run. */
  administrator: () => Promise<ApiClient | null>;
}) {
  async function createLoginKey(): Promise<{ key: string; expiresAt: Date }> {
    const key = secret(randomBytes);
    const createdAt = clock.now();
    const expiresAt = later(createdAt, LOGIN_KEY_SECONDS);
    await store.console.addLoginKey({ keyHash: sha256(key), createdAt, expiresAt });
    return { key, expiresAt };
  }

  /** Exchanges a login key for a session: its secret (the cookie's value) and what it is. */
  async function login(key: string): Promise<{ secret: string; session: ConsoleSession; client: ApiClient }> {
    const now = clock.now();
    if (!(await store.console.useLoginKey({ keyHash: sha256(key), now }))) {
      throw new ApiError("console_login", LOGIN_PROBLEM);
    }
    const client = await administrator();
    if (client === null || !client.enabled) {
      throw new ApiError("console_login", "This server has no administrator client to act as: restart it.");
    }
    const sessionSecret = secret(randomBytes);
    const session: ConsoleSession = {
      sessionHash: sha256(sessionSecret),
      clientToken: client.clientToken,
      accountId: client.accountId,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: later(now, IDLE_SECONDS),
      expiresAt: later(now, SESSION_SECONDS),
    };
    await store.console.addSession(session);
    // Expired keys and sessions go at each login: there are few, and logins are rare.
    await store.console.purgeExpired(now);
    return { secret: sessionSecret, session, client };
  }

  /** The live session with this secret, its idle expiry moved on; null when there is none. */
  async function resume(sessionSecret: string): Promise<ConsoleSession | null> {
    const now = clock.now();
    return store.console.touchSession({
      sessionHash: sha256(sessionSecret),
      now,
      idleExpiresAt: later(now, IDLE_SECONDS),
    });
  }

  return {
    createLoginKey,
    login,
    resume,
    end: (sessionHash: string) => store.console.deleteSession(sessionHash),
    /** Whether the session is still live, without extending it (an open event stream asks). */
    isLive: async (sessionHash: string) =>
      (await store.console.getSession({ sessionHash, now: clock.now() })) !== null,
  };
}
