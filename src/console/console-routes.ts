import { z } from "zod";
import type { AccountService } from "../accounts/account-service.ts";
import { ACCOUNT_ID_PATTERN } from "../accounts/account-service.ts";
import type { Caller } from "../accounts/caller.ts";
import { anyCapability } from "../accounts/capabilities.ts";
import { ALL_CAPABILITIES, type ApiClient, CAPABILITIES, type Capability } from "../accounts/model.ts";
import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import { CONSOLE_API_PREFIX, CONSOLE_BASE } from "../http/console-prefix.ts";
import { type AuthScheme, defineRoute, json, jsonBody, type RequestHead, text } from "../http/route.ts";
import type { Initializer } from "../kv/initialize.ts";
import type { Store } from "../storage/store.ts";
import { VERSION } from "../version.ts";
import { sessionCookieHeader } from "./session-auth.ts";
import { type ConsoleSessions, IDLE_SECONDS } from "./sessions.ts";

const TAGS = ["web console"];

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const hostOf = (head: RequestHead) => single(head.headers.host) ?? "localhost";

const keyResponse = z.object({
  key: z.string().meta({ description: "32 random bytes, base64url: valid once, for 24 hours." }),
  url: z
    .string()
    .meta({ description: "The console's page with the key in its fragment, from the request's Host." }),
  expiresAt: z.iso.datetime(),
});

const accountInfo = z.object({ id: z.string(), cpcode: z.string().nullable(), initialized: z.boolean() });

const clientView = z.object({
  clientToken: z.string(),
  accessToken: z.string(),
  account: z.string(),
  capabilities: z.array(z.string()),
  canSwitchAccounts: z.boolean(),
  enabled: z.boolean(),
  description: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});

const viewOf = (client: ApiClient, lastUsed: Date | undefined): z.input<typeof clientView> => ({
  clientToken: client.clientToken,
  accessToken: client.accessToken,
  account: client.accountId,
  capabilities: [...client.capabilities],
  canSwitchAccounts: client.canSwitchAccounts,
  enabled: client.enabled,
  description: client.description,
  createdAt: client.createdAt.toISOString(),
  lastUsedAt: lastUsed?.toISOString() ?? null,
});

const CAPABILITIES_MESSAGE = `capabilities must be ["all"] (every EdgeKV capability) or a list of: ${ALL_CAPABILITIES.join(", ")}.`;

const newClientBody = z.strictObject({
  account: z
    .string({ error: "account is required: the id of the account the client acts on." })
    .regex(
      ACCOUNT_ID_PATTERN,
      "account must be 1-64 letters, digits, '_', '-', '.', ':' or '~', starting with a letter or digit.",
    ),
  capabilities: z
    .array(z.string(), { error: CAPABILITIES_MESSAGE })
    .min(1, CAPABILITIES_MESSAGE)
    .transform((names, context): Capability[] => {
      if (names.length === 1 && names[0]?.toLowerCase() === "all") return [...CAPABILITIES];
      const known = names.map((name) => name.toUpperCase());
      if (!known.every((name) => (ALL_CAPABILITIES as readonly string[]).includes(name))) {
        context.addIssue({ code: "custom", message: CAPABILITIES_MESSAGE });
      }
      return known as Capability[];
    }),
  description: z.string().max(200, "description must be at most 200 characters long.").optional(),
  canSwitchAccounts: z.boolean({ error: "canSwitchAccounts must be true or false." }).optional(),
});

const clientParams = z.object({ clientToken: z.string() });

/**
 * `POST /_edgekv/v1/console/keys`, signed with EdgeGrid: a login key for the web console, as `edgekv
 * console` asks for it. It has no console twin: a session cannot make more sessions.
 */
export function consoleKeyRoute({
  sessions,
  edgegrid,
  secure,
}: {
  sessions: Pick<ConsoleSessions, "createLoginKey">;
  edgegrid: AuthScheme<Caller>;
  secure: boolean;
}) {
  return defineRoute({
    operationId: "createConsoleKey",
    method: "POST",
    path: "/_edgekv/v1/console/keys",
    summary: "Create a web console login key",
    description:
      "A key that opens the web console once, within 24 hours, and the console URL that carries it in its fragment " +
      "(built from the request's Host). What `edgekv console` prints.",
    tags: ["edgekv-server"],
    auth: edgegrid,
    access: anyCapability("SERVER_ADMIN"),
    responses: { 201: json(keyResponse, "The key, shown once, and the URL that uses it.") },
    errors: [],
    audit: { action: "console.key", target: () => "console/keys" },
    handler: async ({ head }) => {
      const { key, expiresAt } = await sessions.createLoginKey();
      const url = `${secure ? "https" : "http"}://${hostOf(head)}${CONSOLE_BASE}/#key=${key}`;
      return { status: 201, body: { key, url, expiresAt: expiresAt.toISOString() } };
    },
  });
}

/** The console's own endpoints, beside the admin API's twins under the same prefix. */
export function consoleRoutes({
  sessions,
  session,
  login,
  store,
  accounts,
  initializer,
  clock,
  manualClock,
  secure,
}: {
  sessions: Pick<ConsoleSessions, "login" | "end">;
  session: AuthScheme<Caller>;
  login: AuthScheme<null>;
  store: Pick<Store, "accounts" | "clients">;
  accounts: Pick<AccountService, "createClient">;
  initializer: Pick<Initializer, "ensureAccount">;
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
      tags: TAGS,
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
      tags: TAGS,
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
      tags: TAGS,
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
      tags: TAGS,
      auth: session,
      responses: { 200: json(z.object({ accounts: z.array(accountInfo) }), "The accounts, by id.") },
      errors: [],
      handler: async () => ({ status: 200, body: { accounts: await allAccounts() } }),
    }),
    defineRoute({
      operationId: "consoleClients",
      method: "GET",
      path: `${CONSOLE_API_PREFIX}/clients`,
      summary: "API clients, of one account or all; never a secret",
      tags: TAGS,
      auth: session,
      query: z.object({ account: z.string().optional() }).loose(),
      responses: { 200: json(z.object({ clients: z.array(clientView) }), "The clients, oldest first.") },
      errors: [],
      handler: async ({ query }) => {
        const [clients, lastUsed] = await Promise.all([
          store.clients.list(query.account === undefined ? {} : { accountId: query.account }),
          store.clients.lastUsed(),
        ]);
        return {
          status: 200,
          body: { clients: clients.map((client) => viewOf(client, lastUsed.get(client.clientToken))) },
        };
      },
    }),
    defineRoute({
      operationId: "consoleCreateClient",
      method: "POST",
      path: `${CONSOLE_API_PREFIX}/clients`,
      summary: "Create an API client; its secret is shown once",
      tags: TAGS,
      auth: session,
      body: jsonBody(newClientBody, "The new client's account and capabilities."),
      responses: {
        201: json(
          z.object({ client: clientView, clientSecret: z.string(), edgerc: z.string() }),
          "The client, its secret (shown once) and a ready `.edgerc` section.",
        ),
      },
      errors: ["validation"],
      audit: {
        action: "credentials.create",
        target: ({ body }) => `accounts/${body?.account ?? "?"}/clients`,
      },
      handler: async ({ body, head }) => {
        await initializer.ensureAccount(body.account);
        const { client, clientSecret } = await accounts.createClient({
          accountId: body.account,
          capabilities: body.capabilities,
          canSwitchAccounts: body.canSwitchAccounts ?? false,
          description: body.description ?? "created in the web console",
        });
        const edgerc =
          `[${body.account}]\nhost = ${hostOf(head)}\nclient_token = ${client.clientToken}\n` +
          `client_secret = ${clientSecret}\naccess_token = ${client.accessToken}\n`;
        return { status: 201, body: { client: viewOf(client, undefined), clientSecret, edgerc } };
      },
    }),
    defineRoute({
      operationId: "consoleRevokeClient",
      method: "POST",
      path: `${CONSOLE_API_PREFIX}/clients/{clientToken}/revoke`,
      summary: "Disable an API client (not the session's own)",
      tags: TAGS,
      auth: session,
      params: clientParams,
      body: jsonBody(z.object({}).loose(), "Nothing is read.", { optional: true }),
      responses: { 200: json(z.object({ client: clientView }), "The client, disabled.") },
      errors: ["console_conflict", "route_not_found"],
      audit: { action: "credentials.revoke", target: ({ params }) => `clients/${params.clientToken ?? ""}` },
      handler: async ({ caller, params }) => {
        if (params.clientToken === caller.client.clientToken) {
          throw new ApiError(
            "console_conflict",
            "This is the client the console session acts as: revoking it would end the console. Revoke it with `edgekv credentials revoke`.",
          );
        }
        const client = await store.clients.get(params.clientToken);
        if (client === null) {
          throw new ApiError("route_not_found", `No API client ${params.clientToken}.`);
        }
        await store.clients.setEnabled(client.clientToken, false);
        const lastUsed = (await store.clients.lastUsed()).get(client.clientToken);
        return { status: 200, body: { client: viewOf({ ...client, enabled: false }, lastUsed) } };
      },
    }),
  ];
}
