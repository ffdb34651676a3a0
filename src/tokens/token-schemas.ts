import { z } from "zod";
import { EDGEWORKER_ID, MAX_EDGEWORKER_IDS } from "../rules/edgeworker-ids.ts";
import { NAMESPACE_NAME, TOKEN_NAME } from "../rules/names.ts";
import { isPermissionSet, MAX_NAMESPACES_PER_TOKEN, PERMISSIONS } from "../rules/permissions.ts";
import { nameSchema } from "../rules/schemas.ts";
import { parseExpiryDate } from "./dates.ts";

export const EXPIRY_FORMAT_ERROR =
  "Invalid expiration time. The time format should be provided as per ISO-8601.";
export const EXPIRY_RANGE_ERROR =
  "Invalid expiration time. The expiry must be between 1 day and 6 months from today.";

const tokenName = (description: string) =>
  nameSchema(TOKEN_NAME, description, {
    required: "The token name is required.",
    type: "The token name must be a string.",
  });

export const tokenNameParams = z.object({
  tokenName: tokenName("The token's name."),
});

/** A JSON boolean, or the strings "true"/"false" that HTTPie's `field=value` form sends; absent is false. */
const flag = (field: string, description: string) =>
  z
    .union([z.boolean(), z.enum(["true", "false"])], { error: `${field} must be true or false.` })
    .nullish()
    .transform((value) => value === true || value === "true")
    .meta({ description });

const permissionSet = z
  .array(z.enum(PERMISSIONS))
  .min(1)
  .max(PERMISSIONS.length)
  .meta({ id: "Permissions", description: 'Some of "r" (read), "w" (write), "d" (delete), each once.' });

const PERMISSIONS_EXAMPLE = 'namespacePermissions must be an object such as {"default": ["r", "w", "d"]}.';
const badNamespace = (namespace: unknown) =>
  `Invalid namespace name ${JSON.stringify(String(namespace))}: use 1 to 32 letters, digits, '_' or '-', not starting with '-'.`;
/** Issues inside a namespace's permissions carry the path `namespacePermissions.<ns>[.<index>]`. */
const badPermission = (issue: { path?: readonly PropertyKey[] | undefined }) => {
  const path = issue.path ?? [];
  const namespace = path[path.indexOf("namespacePermissions") + 1];
  return `Invalid permission for namespace ${JSON.stringify(String(namespace))}: give 1 to 3 of "r", "w", "d", each once.`;
};

const grantedPermissions = z
  .array(z.enum(PERMISSIONS, { error: badPermission }), { error: badPermission })
  .min(1, { error: badPermission })
  .max(PERMISSIONS.length, { error: badPermission })
  .refine(isPermissionSet, { error: badPermission })
  .meta({ description: 'Some of "r" (read), "w" (write), "d" (delete), each once.' });

/**
 * Namespace → permissions. A key `__proto__` is refused by name: a schema would drop it silently
 * (it cannot be an own key of the object it builds), and a silently dropped grant is worse.
 */
const namespacePermissions = z.preprocess(
  (value, context) => {
    if (typeof value === "object" && value !== null && Object.hasOwn(value, "__proto__")) {
      context.addIssue({ code: "custom", message: badNamespace("__proto__") });
    }
    return value;
  },
  z
    .record(nameSchema(NAMESPACE_NAME, "A namespace name."), grantedPermissions, {
      error: (issue) =>
        issue.code === "invalid_key"
          ? badNamespace(issue.path?.at(-1))
          : issue.input === undefined || issue.input === null
            ? "namespacePermissions is required."
            : PERMISSIONS_EXAMPLE,
    })
    .superRefine((permissions, context) => {
      const count = Object.keys(permissions).length;
      if (count < 1 || count > MAX_NAMESPACES_PER_TOKEN) {
        context.addIssue({
          code: "custom",
          message: `namespacePermissions must name between 1 and ${MAX_NAMESPACES_PER_TOKEN} namespaces, not ${count}.`,
        });
      }
    })
    .meta({
      description: `Namespace → permissions, for 1 to ${MAX_NAMESPACES_PER_TOKEN} namespaces that exist on every network the token is allowed on.`,
    }),
);

/** EdgeWorker ids as numbers or digit strings; `[]` or `["all"]` is every EdgeWorker. */
const edgeWorkerIds = (field: string) => {
  const notOne = (id: unknown) =>
    `${field} must hold numeric EdgeWorker ids (or just "all"); ${JSON.stringify(id)} is not one.`;
  // Every way an id can be wrong gets the same message, whichever member of the union zod reports.
  const wrong = { error: (issue: { input?: unknown }) => notOne(issue.input) };
  return z
    .array(
      z.union(
        [
          z.number(wrong).int(wrong).nonnegative(wrong).max(Number.MAX_SAFE_INTEGER, wrong),
          z.string(wrong).regex(EDGEWORKER_ID, wrong),
          z.literal("all"),
        ],
        wrong,
      ),
      { error: `${field} must be an array of EdgeWorker ids such as ["1234"].` },
    )
    .nullish()
    .superRefine((ids, context) => {
      if (ids === null || ids === undefined || (ids.length === 1 && ids[0] === "all")) return;
      if (ids.includes("all")) context.addIssue({ code: "custom", message: notOne("all") });
      const unique = new Set(ids.map(String)).size;
      if (unique > MAX_EDGEWORKER_IDS) {
        context.addIssue({
          code: "custom",
          message: `${field} may name at most ${MAX_EDGEWORKER_IDS} EdgeWorker ids, not ${unique}.`,
        });
      }
    })
    .meta({
      description: `Up to ${MAX_EDGEWORKER_IDS} EdgeWorker ids the token is limited to; absent, [] or ["all"]: every EdgeWorker.`,
    });
};

/** An expiry date makes a legacy token; absent, null or "" an enhanced one. The range is checked against today. */
const expiry = z
  .union([z.string(), z.null()], { error: EXPIRY_FORMAT_ERROR })
  .optional()
  .transform((value, context) => {
    if (value === undefined || value === null || value === "") return null;
    const date = parseExpiryDate(value.trim());
    if (date === null) context.addIssue({ code: "custom", message: EXPIRY_FORMAT_ERROR });
    return date;
  })
  .meta({
    description:
      "Makes a legacy token (a JWT value) that stops working at 23:59:59 UTC of this date: `YYYY-MM-DD` or an ISO-8601 " +
      "timestamp whose date is used, from tomorrow to 183 days ahead. Absent, null or empty: an enhanced token.",
  });

/** The body of `POST /edgekv/v1/tokens`; unknown fields are ignored. */
export const createTokenBody = z
  .object(
    {
      name: tokenName("1 to 32 letters, digits, '_' or '-'; unique among the account's live tokens."),
      allowOnStaging: flag("allowOnStaging", "Whether the token works on the staging network."),
      allowOnProduction: flag("allowOnProduction", "Whether the token works on the production network."),
      namespacePermissions,
      restrictToEdgeWorkerIds: edgeWorkerIds("restrictToEdgeWorkerIds"),
      restrictToEwids: edgeWorkerIds("restrictToEwids").meta({
        description: "The official CLI's name for restrictToEdgeWorkerIds.",
      }),
      expiry,
    },
    { error: "The request body must be a JSON object." },
  )
  .superRefine((body, context) => {
    const { restrictToEdgeWorkerIds: primary, restrictToEwids: alias } = body;
    if (primary !== undefined && alias !== undefined && JSON.stringify(primary) !== JSON.stringify(alias)) {
      context.addIssue({
        code: "custom",
        message: "Give restrictToEdgeWorkerIds or its alias restrictToEwids, not both with different values.",
      });
    }
    if (!body.allowOnStaging && !body.allowOnProduction) {
      context.addIssue({
        code: "custom",
        message: "At least one of allowOnStaging or allowOnProduction must be true.",
      });
    }
  })
  .transform(({ restrictToEdgeWorkerIds, restrictToEwids, ...rest }) => {
    const ids = restrictToEdgeWorkerIds ?? restrictToEwids ?? null;
    const every = ids === null || ids.length === 0 || (ids.length === 1 && ids[0] === "all");
    return { ...rest, edgeWorkerIds: every ? null : [...new Set(ids.map(String))] };
  });

export type CreateTokenRequest = z.output<typeof createTokenBody>;

export const includeExpiredQuery = z.object({
  includeExpired: z
    .string({ error: "includeExpired must be true or false." })
    .regex(/^(true|false)$/i, "includeExpired must be true or false.")
    .optional()
    .transform((value) => value?.toLowerCase() === "true")
    .meta({ description: "Also list tokens that expired less than 30 days ago." }),
});

// Responses -----------------------------------------------------------------------------------------

const date = z.string().meta({ description: "A date, `YYYY-MM-DD` in UTC." });
const uuid = z
  .uuid()
  .meta({ description: "The token's id; for an enhanced token also its reference on the data plane." });
const activationStatus = z
  .enum(["IN_PROGRESS", "COMPLETE", "ERROR"])
  .meta({ description: "Whether the token's current credential is active yet." });

const enhancedToken = z
  .object({
    name: z.string(),
    uuid,
    allowOnProduction: z.boolean(),
    allowOnStaging: z.boolean(),
    cpcode: z.string(),
    expiry: date.meta({ description: "Always 9999-12-31: an enhanced token does not expire." }),
    issueDate: date,
    latestRefreshDate: date.nullable(),
    namespacePermissions: z.record(z.string(), permissionSet),
    nextScheduledRefreshDate: date.nullable(),
    restrictToEdgeWorkerIds: z.array(z.string()).optional(),
    tokenActivationStatus: activationStatus,
  })
  .meta({ id: "EnhancedToken", description: "A token held by reference and refreshed on a schedule." });

const legacyToken = z
  .object({
    expiry: date,
    name: z.string(),
    uuid,
    value: z
      .string()
      .meta({ description: "The token's JWT: what the data plane's X-Akamai-EdgeDB-Auth carries." }),
  })
  .meta({ id: "LegacyToken", description: "A token with an expiry date: its JWT value, until then." });

export const tokenResponse = z.union([enhancedToken, legacyToken]);

const listedToken = z
  .object({
    expiry: date,
    name: z.string(),
    uuid,
    tokenActivationStatus: activationStatus,
    issueDate: date,
    latestRefreshDate: date.nullable(),
    nextScheduledRefreshDate: date.nullable().optional(),
  })
  .meta({ id: "ListedToken" });

export const tokenListResponse = z.object({ tokens: z.array(listedToken) });
export type ListedToken = z.input<typeof listedToken>;

export const revokedResponse = z.object({ name: z.string(), uuid });
