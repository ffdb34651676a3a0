import { z } from "zod";
import type { AccountService } from "../accounts/account-service.ts";
import { ACCOUNT_ID_PATTERN } from "../accounts/account-service.ts";
import type { Caller } from "../accounts/caller.ts";
import { ALL_CAPABILITIES, type ApiClient, CAPABILITIES, type Capability } from "../accounts/model.ts";
import { ApiError } from "../errors.ts";
import { CONSOLE_API_PREFIX } from "../http/console-prefix.ts";
import { type AuthScheme, defineRoute, json, jsonBody } from "../http/route.ts";
import type { Initializer } from "../kv/initialize.ts";
import type { Store } from "../storage/store.ts";
import { CONSOLE_TAGS } from "./console-routes.ts";
import { hostOf } from "./key-route.ts";

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
 * The console's API clients: listed without secrets, created (the secret shown once, with a ready
 * `.edgerc` section), and revoked, as `edgekv credentials` does on the database.
 */
export function clientRoutes({
  session,
  store,
  accounts,
  initializer,
}: {
  session: AuthScheme<Caller>;
  store: Pick<Store, "clients">;
  accounts: Pick<AccountService, "createClient">;
  initializer: Pick<Initializer, "ensureAccount">;
}) {
  return [
    defineRoute({
      operationId: "consoleClients",
      method: "GET",
      path: `${CONSOLE_API_PREFIX}/clients`,
      summary: "API clients, of one account or all; never a secret",
      tags: CONSOLE_TAGS,
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
      tags: CONSOLE_TAGS,
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
      tags: CONSOLE_TAGS,
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
