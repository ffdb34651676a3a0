import { z } from "zod";
import type { Caller } from "../accounts/caller.ts";
import type { Clock } from "../clock.ts";
import { CONSOLE_API_PREFIX } from "../http/console-prefix.ts";
import { type AuthScheme, defineRoute, json, jsonBody, text } from "../http/route.ts";
import type { Store } from "../storage/store.ts";
import { VERSION } from "../version.ts";
import { sessionCookieHeader } from "./session-auth.ts";
import { type ConsoleSessions, IDLE_SECONDS } from "./sessions.ts";

export const CONSOLE_TAGS = ["web console"];

const accountInfo = z.object({ id: z.string(), cpcode: z.string().nullable(), initialized: z.boolean() });

/**
 * The console's session (login, what it is, logout) and the accounts, beside the admin API's twins
 * under the same prefix.
 */
export function consoleRoutes({
  sessions,
  session,
  login,
  store,
  clock,
  manualClock,
  secure,
}: {
  sessions: Pick<ConsoleSessions, "login" | "end">;
  session: AuthScheme<Caller>;
  login: AuthScheme<null>;
  store: Pick<Store, "accounts">;
  clock: Clock;
  manualClock: boolean;
  secure: boolean;
}) {
  const allAccounts = async () =>
    (await store.accounts.list()).map((account) => ({
      id: account.id,
      cpcode: account.cpcode,
      initialized: account.initializedAt !== null,
    }));
  // The session's GET comes first: other methods on its path are then refused only after the
  // session is checked, as everywhere below the console's API.
  return [
    defineRoute({
      operationId: "consoleSession",
      method: "GET",
      path: `${CONSOLE_API_PREFIX}/session`,
      summary: "The console session: who it acts as, the server's version, clock and accounts",
      tags: CONSOLE_TAGS,
      auth: session,
      responses: {
        200: json(
          z.object({
            account: z.string(),
            clientToken: z.string(),
            version: z.string(),
            clock: z.enum(["manual", "system"]),
            now: z.iso.datetime(),
            accounts: z.array(accountInfo),
          }),
          "The session.",
        ),
      },
      errors: [],
      handler: async ({ caller }) => ({
        status: 200,
        body: {
          account: caller.client.accountId,
          clientToken: caller.client.clientToken,
          version: VERSION,
          clock: manualClock ? ("manual" as const) : ("system" as const),
          now: clock.now().toISOString(),
          accounts: await allAccounts(),
        },
      }),
    }),
    defineRoute({
      operationId: "consoleLogin",
      method: "POST",
      path: `${CONSOLE_API_PREFIX}/session`,
      summary: "Open a console session with a login key",
      tags: CONSOLE_TAGS,
      auth: login,
      body: jsonBody(z.strictObject({ key: z.string({ error: "key is required." }) }), "The login key."),
      responses: {
        200: json(
          z.object({ account: z.string(), clientToken: z.string(), idleSeconds: z.number().int() }),
          "The session, in the cookie `edgekv_console`.",
        ),
      },
      errors: ["console_login"],
      audit: { action: "console.login", target: () => "session" },
      handler: async ({ body }) => {
        const opened = await sessions.login(body.key);
        const account = await store.accounts.get(opened.client.accountId);
        return {
          // The audit log names the client the new session acts as.
          ...(account === null ? {} : { caller: { client: opened.client, account } }),
          status: 200,
          body: {
            account: opened.session.accountId,
            clientToken: opened.session.clientToken,
            idleSeconds: IDLE_SECONDS,
          },
          headers: { "Set-Cookie": sessionCookieHeader(opened.secret, { secure }) },
        };
      },
    }),
    defineRoute({
      operationId: "consoleLogout",
      method: "DELETE",
      path: `${CONSOLE_API_PREFIX}/session`,
      summary: "End the console session",
      tags: CONSOLE_TAGS,
      auth: session,
      responses: { 204: text(z.literal(""), "Ended; the cookie is cleared.") },
      errors: [],
      handler: async ({ caller }) => {
        if (caller.consoleSession !== undefined) await sessions.end(caller.consoleSession);
        return {
          status: 204,
          body: "",
          headers: { "Set-Cookie": sessionCookieHeader(null, { secure }) },
        };
      },
    }),
    defineRoute({
      operationId: "consoleAccounts",
      method: "GET",
      path: `${CONSOLE_API_PREFIX}/accounts`,
      summary: "Every account",
      tags: CONSOLE_TAGS,
      auth: session,
      responses: { 200: json(z.object({ accounts: z.array(accountInfo) }), "The accounts, by id.") },
      errors: [],
      handler: async () => ({ status: 200, body: { accounts: await allAccounts() } }),
    }),
  ];
}
