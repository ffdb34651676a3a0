import { z } from "zod";
import { ACCOUNT_ID_PATTERN, DEFAULT_POLICY } from "../accounts/account-service.ts";
import { ALL_CAPABILITIES } from "../accounts/model.ts";
import { GEO_LOCATIONS, MAX_RETENTION_SECONDS, MIN_RETENTION_SECONDS } from "../kv/kv-schemas.ts";
import { NETWORKS } from "../kv/model.ts";
import { EDGEWORKER_ID, MAX_EDGEWORKER_IDS } from "../rules/edgeworker-ids.ts";
import { GROUP_NAME, ITEM_KEY, NAMESPACE_NAME, TOKEN_NAME } from "../rules/names.ts";
import { isPermissionSet, MAX_NAMESPACES_PER_TOKEN, PERMISSIONS } from "../rules/permissions.ts";
import { nameSchema } from "../rules/schemas.ts";
import { MAX_EXPIRY_DAYS } from "../tokens/token-service.ts";

// The seed file's format, documented in docs/seed-format.md. Objects are strict: a misspelt field is
// refused by name rather than ignored, since a seed that silently does less than it says is worse.

/** Akamai's tokens look like `akab-` and 32 more characters; any token-like text of that size goes. */
const CLIENT_TOKEN = /^[A-Za-z0-9][A-Za-z0-9._~+/=-]{7,127}$/;
const TOKEN_RULE =
  "must be 8 to 128 letters, digits or . _ ~ + / = - (no spaces), such as akab-ci-client-0000001";
const CLIENT_SECRET = /^[A-Za-z0-9+/=_-]{16,128}$/;
const SECRET_RULE = "must be 16 to 128 letters, digits or + / = _ - (base64 of 32 random bytes is usual)";

const network = z.enum(NETWORKS, { error: 'must be "staging" or "production"' });
const networks = z
  .array(network)
  .min(1)
  .refine((list) => new Set(list).size === list.length, "must name each network once");

const capability = z.enum(["all", ...ALL_CAPABILITIES], {
  error: `must be "all" (every EdgeKV capability) or one of ${ALL_CAPABILITIES.join(", ")}`,
});

const client = z.strictObject({
  clientToken: z.string().regex(CLIENT_TOKEN, TOKEN_RULE),
  clientSecret: z.string().regex(CLIENT_SECRET, SECRET_RULE),
  accessToken: z.string().regex(CLIENT_TOKEN, TOKEN_RULE),
  capabilities: z.array(capability).min(1).default(["all"]).meta({
    description: '"all" is every EdgeKV capability; SERVER_ADMIN (this server\'s own) must be named.',
  }),
  canSwitchAccounts: z.boolean().default(false),
  description: z.string().max(200).default("from a seed file"),
});

const item = z
  .strictObject({
    group: nameSchema(GROUP_NAME, "The item's group."),
    key: nameSchema(ITEM_KEY, "The item's key."),
    text: z.string().optional().meta({ description: "A text value (text/plain; charset=utf-8)." }),
    json: z
      .unknown()
      .optional()
      .meta({ description: "A JSON value, stored as compact JSON (application/json)." }),
    networks: networks.optional().meta({ description: "Default: every network of its namespace." }),
  })
  .refine((value) => (value.text === undefined) !== (value.json === undefined), {
    message: 'needs exactly one of "text" and "json"',
  });

const RETENTION = `must be 0 (keep items until deleted) or from ${MIN_RETENTION_SECONDS} to ${MAX_RETENTION_SECONDS}`;

const namespace = z.strictObject({
  name: nameSchema(NAMESPACE_NAME, "The namespace's name."),
  networks: networks.default([...NETWORKS]),
  retentionInSeconds: z
    .int()
    .refine(
      (seconds) => seconds === 0 || (seconds >= MIN_RETENTION_SECONDS && seconds <= MAX_RETENTION_SECONDS),
      RETENTION,
    )
    .optional(),
  groupId: z.int().nonnegative().optional(),
  geoLocation: z.enum(GEO_LOCATIONS).optional(),
  restrictDataAccess: z.boolean().optional(),
  items: z.array(item).default([]),
});

/** A key `__proto__` is refused by name: a record would drop it silently. */
const withoutProto = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value, context) => {
    if (typeof value === "object" && value !== null && Object.hasOwn(value, "__proto__")) {
      context.addIssue({ code: "custom", message: 'must not name a namespace "__proto__"' });
    }
    return value;
  }, schema);

const PERMISSION_RULE = 'must give 1 to 3 of "r", "w", "d", each once';

const token = z
  .strictObject({
    name: nameSchema(TOKEN_NAME, "The token's name: a token of that name that exists is left as it is."),
    allowOnStaging: z.boolean().default(false),
    allowOnProduction: z.boolean().default(false),
    namespacePermissions: withoutProto(
      z
        .record(
          nameSchema(NAMESPACE_NAME, "A namespace name."),
          z.array(z.enum(PERMISSIONS, { error: PERMISSION_RULE })).refine(isPermissionSet, PERMISSION_RULE),
        )
        .refine(
          (record) =>
            Object.keys(record).length >= 1 && Object.keys(record).length <= MAX_NAMESPACES_PER_TOKEN,
          `must name 1 to ${MAX_NAMESPACES_PER_TOKEN} namespaces`,
        ),
    ),
    restrictToEdgeWorkerIds: z
      .array(
        z.union([z.string().regex(EDGEWORKER_ID), z.int().nonnegative(), z.literal("all")], {
          error: 'must be an EdgeWorker id (digits) or "all"',
        }),
      )
      .optional()
      .meta({
        description: `Up to ${MAX_EDGEWORKER_IDS} EdgeWorker ids; absent, [] or ["all"]: every EdgeWorker.`,
      }),
    expiry: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date such as 2027-01-31")
      .optional()
      .meta({
        description: "Makes a legacy token that expires at the end of that day (1 to 183 days ahead).",
      }),
    expiresInDays: z
      .int()
      .min(1)
      .max(MAX_EXPIRY_DAYS)
      .optional()
      .meta({ description: "Makes a legacy token that expires this many days after the seed is applied." }),
  })
  .superRefine((value, context) => {
    if (!value.allowOnStaging && !value.allowOnProduction) {
      context.addIssue({
        code: "custom",
        message: "needs allowOnStaging or allowOnProduction (or both) true",
      });
    }
    if (value.expiry !== undefined && value.expiresInDays !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["expiresInDays"],
        message: "give expiry or expiresInDays, not both",
      });
    }
    const ids = (value.restrictToEdgeWorkerIds ?? []).map(String);
    if (ids.length > 1 && ids.includes("all")) {
      context.addIssue({ code: "custom", path: ["restrictToEdgeWorkerIds"], message: '"all" stands alone' });
    }
    if (new Set(ids).size > MAX_EDGEWORKER_IDS) {
      context.addIssue({
        code: "custom",
        path: ["restrictToEdgeWorkerIds"],
        message: `may name at most ${MAX_EDGEWORKER_IDS} EdgeWorker ids`,
      });
    }
  });

const account = z.strictObject({
  id: z
    .string()
    .regex(
      ACCOUNT_ID_PATTERN,
      "must be 1 to 64 letters, digits, '_', '-', '.', ':' or '~', starting with a letter or digit",
    ),
  cpcode: z
    .union([z.string(), z.int().positive()], { error: 'must be a CP code such as "1234567"' })
    .transform(String)
    .pipe(z.string().regex(/^[1-9]\d{0,9}$/, 'must be a CP code such as "1234567"'))
    .optional()
    .meta({ description: "The EdgeKV CP code of a new account (default: a random one)." }),
  dataAccessPolicy: z
    .strictObject({
      restrictDataAccess: z.boolean().default(DEFAULT_POLICY.restrictDataAccess),
      allowNamespacePolicyOverride: z.boolean().default(DEFAULT_POLICY.allowNamespacePolicyOverride),
    })
    .optional(),
  clients: z.array(client).default([]),
  namespaces: z.array(namespace).default([]),
  tokens: z.array(token).default([]),
});

/** A seed document: accounts with their API clients, namespaces (with items) and tokens. */
export const seedSchema = z
  .strictObject({
    version: z.literal(1, "must be 1, the only version of the seed format").optional(),
    accounts: z.array(account).default([]),
  })
  .meta({ id: "Seed", description: "A seed document: see docs/seed-format.md." });

export type SeedDocument = z.output<typeof seedSchema>;
export type SeedAccount = SeedDocument["accounts"][number];
export type SeedClient = SeedAccount["clients"][number];
export type SeedNamespace = SeedAccount["namespaces"][number];
export type SeedItem = SeedNamespace["items"][number];
export type SeedToken = SeedAccount["tokens"][number];
