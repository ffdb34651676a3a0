import { z } from "zod";
import { ACCOUNT_ID_PATTERN } from "../accounts/account-service.ts";
import type { Caller } from "../accounts/caller.ts";
import { anyCapability } from "../accounts/capabilities.ts";
import { type AuthScheme, defineRoute, json, jsonBody } from "../http/route.ts";
import { seedBody } from "./seed-parse.ts";
import type { StateService } from "./state-service.ts";

const count = z.int().nonnegative();

const added = z
  .object({ accounts: count, clients: count, namespaces: count, tokens: count, items: count })
  .meta({
    id: "SeedAdded",
    description:
      "What was added (accounts: created or initialized; items: written because missing or different). All 0: the database already held the seed.",
  });

const seedResponse = z.object({ added });

const resetBody = z
  .strictObject(
    {
      account: z
        .string({ error: "account must be an account id." })
        .regex(ACCOUNT_ID_PATTERN, "account must be an account id.")
        .optional()
        .meta({ description: "The account to empty; default: the one the request acts on." }),
      all: z
        .literal(true, { error: "all must be true, or left out." })
        .optional()
        .meta({ description: "Empty every account." }),
      credentials: z
        .boolean({ error: "credentials must be true or false." })
        .default(false)
        .meta({ description: "Also remove API clients, but the caller's own and the first-run client." }),
      reseed: z
        .boolean({ error: "reseed must be true or false." })
        .default(false)
        .meta({ description: "Then apply the server's --seed file again (400 without one)." }),
    },
    { error: "The request body must be a JSON object." },
  )
  .refine((body) => body.account === undefined || body.all === undefined, {
    error: 'Give "account" or "all", not both.',
  });

const resetResponse = z.object({
  accounts: z.array(z.string()).meta({ description: "The accounts emptied." }),
  deleted: z.object({ tokens: count, namespaces: count, items: count, clients: count }),
  reseeded: added.nullable().meta({ description: "What the seed added again; null without reseed." }),
});

/** `/_edgekv/v1/seed` and `/_edgekv/v1/reset`: the server's whole state, so both take SERVER_ADMIN. */
export function stateRoutes({ state, edgegrid }: { state: StateService; edgegrid: AuthScheme<Caller> }) {
  const common = { tags: ["edgekv-server"], auth: edgegrid, access: anyCapability("SERVER_ADMIN") } as const;
  return [
    defineRoute({
      ...common,
      operationId: "applySeed",
      method: "POST",
      path: "/_edgekv/v1/seed",
      summary: "Add what a seed document describes (edgekv-server)",
      description:
        "Accounts (created and initialized as needed), API clients with fixed credentials, namespaces with items, " +
        "and tokens: whatever is missing is added in one transaction; what exists is left as it is. A wrong seed is " +
        "refused whole (400) naming its first wrong field, one that contradicts what is stored (a client token with " +
        "another secret, say) with 409. Applying the same seed twice changes nothing.",
      body: jsonBody(seedBody, "A seed document (docs/seed-format.md)."),
      responses: { 200: json(seedResponse, "The seed is in the database.") },
      errors: ["kv_conflict"],
      audit: { action: "state.seed", target: () => "state" },
      handler: async ({ body }) => ({ status: 200, body: { added: await state.applySeed(body) } }),
    }),
    defineRoute({
      ...common,
      operationId: "resetState",
      method: "POST",
      path: "/_edgekv/v1/reset",
      summary: "Empty an account, or every account (edgekv-server)",
      description:
        "Deletes the tokens, namespaces and items of the account (or of every account with `all`) in one " +
        "transaction, and leaves it initialized with its `default` namespace on both networks. API clients stay " +
        "unless `credentials` is true. With `reseed`, the server's --seed file is applied again afterwards. An " +
        "account that does not exist is empty already: the answer lists no accounts.",
      body: jsonBody(resetBody, "What to empty; an empty body empties the account the request acts on.", {
        optional: true,
      }),
      responses: { 200: json(resetResponse, "What was emptied, and what the seed added again.") },
      errors: ["kv_conflict"],
      audit: {
        action: "state.reset",
        target: ({ body }) => (body?.all === true ? "accounts/*" : `accounts/${body?.account ?? "self"}`),
      },
      handler: async ({ caller, body }) => {
        const result = await state.reset({
          accountId: body?.all === true ? null : (body?.account ?? caller.account.id),
          credentials: body?.credentials ?? false,
          reseed: body?.reseed ?? false,
          callerClient: caller.client.clientToken,
        });
        const { accounts, tokens, namespaces, items, clients, reseeded } = result;
        return {
          status: 200,
          body: { accounts: [...accounts], deleted: { tokens, namespaces, items, clients }, reseeded },
        };
      },
    }),
  ];
}
