import type { AccountService } from "../accounts/account-service.ts";
import type { Caller } from "../accounts/caller.ts";
import { ApiError } from "../errors.ts";
import type { AuthScheme, RequestHead } from "../http/route.ts";
import type { Store } from "../storage/store.ts";
import type { ConsoleSessions } from "./sessions.ts";

export const COOKIE_NAME = "edgekv_console";

export const SESSION_PROBLEM = "No console session: open the console with the URL `edgekv console` prints.";

const SECURITY_SCHEME = "ConsoleSession";

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The session cookie's value, if the request carries one. */
export function sessionCookie(head: Pick<RequestHead, "headers">): string | undefined {
  for (const cookie of (single(head.headers.cookie) ?? "").split(";")) {
    const equals = cookie.indexOf("=");
    if (equals > 0 && cookie.slice(0, equals).trim() === COOKIE_NAME) {
      const value = cookie.slice(equals + 1).trim();
      return value === "" ? undefined : value;
    }
  }
  return undefined;
}

/** The cookie that holds a session (or, with an empty value and no lifetime, clears it). */
export function sessionCookieHeader(value: string | null, { secure }: { secure: boolean }): string {
  const lifetime = value === null ? "; Max-Age=0" : "";
  return `${COOKIE_NAME}=${value ?? ""}; Path=/_edgekv/console; HttpOnly${secure ? "; Secure" : ""}; SameSite=Strict${lifetime}`;
}

const STATE_CHANGING = new Set(["POST", "PUT", "DELETE", "PATCH"]);

/**
 * A request that changes state must come from the console's own page: its Origin is this server's
 * (the scheme it serves and the Host asked for). A page elsewhere cannot forge that header. A server
 * on plain HTTP also takes `https://` + Host: it runs so behind a proxy that ends TLS for it.
 */
export function checkOrigin(head: RequestHead, { secure }: { secure: boolean }): void {
  if (!STATE_CHANGING.has(head.method)) return;
  const host = single(head.headers.host);
  const expected = host === undefined ? undefined : `${secure ? "https" : "http"}://${host}`;
  const origin = single(head.headers.origin);
  if (expected !== undefined && origin === expected) return;
  if (!secure && host !== undefined && origin === `https://${host}`) return;
  throw new ApiError(
    "console_origin",
    origin === undefined
      ? "This request changes something but has no Origin header: console requests must come from the console's page."
      : `This request's Origin ${origin} is not this server's (${expected ?? "no Host"}): console requests must come from the console's page.`,
  );
}

const securitySchemes = {
  [SECURITY_SCHEME]: {
    type: "apiKey",
    in: "cookie",
    name: COOKIE_NAME,
    description: "The web console's session, set by POST /_edgekv/console/api/session.",
  },
};

/**
 * The web console's session cookie in place of an EdgeGrid signature: the caller is the client the
 * session acts as (the first-run administrator), on its account or `accountSwitchKey`'s. Unknown
 * console paths are answered only after it, like the admin API's after EdgeGrid.
 */
export function createConsoleSessionAuth({
  sessions,
  store,
  accounts,
  secure,
}: {
  sessions: Pick<ConsoleSessions, "resume">;
  store: Pick<Store, "clients">;
  accounts: Pick<AccountService, "actingAccount">;
  /** Whether the server serves HTTPS (the origin's scheme). */
  secure: boolean;
}): AuthScheme<Caller> {
  return {
    name: SECURITY_SCHEME,
    securitySchemes,
    security: [{ [SECURITY_SCHEME]: [] }],
    beforeRouting: true,
    errors: ["console_session", "console_origin", "forbidden"],
    needsBody: false,
    async authenticate(request) {
      const cookie = sessionCookie(request);
      const session = cookie === undefined ? null : await sessions.resume(cookie);
      const client = session === null ? null : await store.clients.get(session.clientToken);
      if (session === null || client === null || !client.enabled) {
        throw new ApiError("console_session", SESSION_PROBLEM);
      }
      checkOrigin(request, { secure });
      const switchKey = request.query.accountSwitchKey;
      return {
        client,
        account: await accounts.actingAccount(client, typeof switchKey === "string" ? switchKey : undefined),
        consoleSession: session.sessionHash,
      };
    },
  };
}

/**
 * The login itself has no session yet: it only has to come from the console's page. (Before routing,
 * so that the session's path answers other methods only once the session is checked.)
 */
export function consoleLoginAuth({ secure }: { secure: boolean }): AuthScheme<null> {
  return {
    name: "ConsoleLogin",
    securitySchemes: {},
    security: [],
    beforeRouting: true,
    errors: ["console_origin"],
    needsBody: false,
    async authenticate(request) {
      checkOrigin(request, { secure });
      return null;
    },
  };
}
