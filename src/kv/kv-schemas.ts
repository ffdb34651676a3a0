import { z } from "zod";
import { GROUP_NAME, ITEM_KEY, NAMESPACE_NAME } from "../rules/names.ts";
import { nameSchema } from "../rules/schemas.ts";
import { NETWORKS } from "./model.ts";

export const GEO_LOCATIONS = ["US", "EU", "JP", "GLOBAL"] as const;

export const MIN_RETENTION_SECONDS = 86_400;
export const MAX_RETENTION_SECONDS = 315_360_000;
export const MAX_KEYS_PER_LIST = 100;

// Path parameters ------------------------------------------------------------------------------------

const network = z
  .enum(NETWORKS, { error: "The network must be staging or production." })
  .meta({ description: "`staging` or `production`." });
const namespaceId = nameSchema(NAMESPACE_NAME, "The namespace name.");
const groupId = nameSchema(GROUP_NAME, "The group name: letters, digits, '_' and '-', up to 128 characters.");
const itemId = nameSchema(ITEM_KEY, "The item key: letters, digits, '_' and '-', up to 512 characters.");

export const networkParams = z.object({ network });
export const namespaceParams = z.object({ network, namespaceId });
export const groupParams = z.object({ network, namespaceId, groupId });
export const itemParams = z.object({ network, namespaceId, groupId, itemId });

// Query parameters -----------------------------------------------------------------------------------

/** A yes/no word (absent: no); other values are refused rather than guessed. */
const yesNo = (name: string, yes: readonly string[], no: readonly string[], description: string) => {
  const message = `${name} must be ${[...yes, ...no].join(", ")}.`;
  return z
    .string({ error: message })
    .optional()
    .transform((value, context) => {
      if (value === undefined) return false;
      const word = value.toLowerCase();
      if (yes.includes(word)) return true;
      if (!no.includes(word)) context.addIssue({ code: "custom", message });
      return false;
    })
    .meta({ description });
};

/** `sandboxId` is accepted and ignored everywhere: there are no sandboxes here. */
const sandboxId = z.string().optional().meta({ description: "Accepted and ignored (no sandboxes here)." });

// The Go client sends details=on, the official CLI details=true.
export const listNamespacesQuery = z.object({
  details: yesNo("details", ["on", "true"], ["off", "false"], "Include each namespace's settings."),
});

export const deleteNamespaceQuery = z.object({
  sync: yesNo("sync", ["true"], ["false"], "Delete at once (200) instead of scheduling the deletion (202)."),
});

const MAX_ITEMS_MESSAGE = `maxItems must be an integer from 1 to ${MAX_KEYS_PER_LIST}.`;
export const listKeysQuery = z.object({
  maxItems: z
    .string({ error: MAX_ITEMS_MESSAGE })
    .regex(/^\d{1,3}$/, MAX_ITEMS_MESSAGE)
    .transform(Number)
    .refine((count) => count >= 1 && count <= MAX_KEYS_PER_LIST, MAX_ITEMS_MESSAGE)
    .optional()
    .meta({
      description: `At most this many keys (1 to ${MAX_KEYS_PER_LIST}; default ${MAX_KEYS_PER_LIST}).`,
    }),
  sandboxId,
});

export const itemQuery = z.object({ sandboxId });

// Bodies ---------------------------------------------------------------------------------------------

const RETENTION_MESSAGE = `retentionInSeconds must be 0 (keep items until deleted) or from ${MIN_RETENTION_SECONDS} to ${MAX_RETENTION_SECONDS}.`;

/** A non-negative integer, also as a string of digits: the official CLI sends groupId as a string. */
const wholeNumber = (message: string, missing: string) => {
  // Every way the value can be wrong gets the message, whichever member of the union zod reports.
  const wrong = { error: message };
  return z
    .union(
      [
        z.number(wrong).int(wrong).nonnegative(wrong).max(Number.MAX_SAFE_INTEGER, wrong),
        z.string(wrong).regex(/^\d{1,15}$/, wrong),
      ],
      { error: (issue) => (issue.input === undefined || issue.input === null ? missing : message) },
    )
    .transform(Number);
};

const retentionInSeconds = wholeNumber(RETENTION_MESSAGE, "Retention period must be specified.")
  .refine(
    (seconds) => seconds === 0 || (seconds >= MIN_RETENTION_SECONDS && seconds <= MAX_RETENTION_SECONDS),
    RETENTION_MESSAGE,
  )
  .meta({
    description: "0 keeps items until deleted; otherwise items expire this long after their last write.",
  });

const authGroupId = wholeNumber(
  "groupId must be an integer of 0 or more.",
  "groupId must be specified (0 for no group).",
).meta({ description: "The permission group the namespace belongs to (0 for none)." });

const geoLocation = z
  .union([z.string(), z.null()])
  .optional()
  .transform((value, context) => {
    if (value === undefined || value === null || value === "") return undefined;
    const location = GEO_LOCATIONS.find((known) => known === value.toUpperCase());
    if (location === undefined) {
      context.addIssue({
        code: "custom",
        message: `geoLocation must be one of ${GEO_LOCATIONS.join(", ")}.`,
      });
    }
    return location;
  })
  .meta({ description: `Where the data lives: ${GEO_LOCATIONS.join(", ")} (default US; staging: US only).` });

const namespacePolicy = z
  .object(
    {
      restrictDataAccess: z
        .boolean({ error: "dataAccessPolicy.restrictDataAccess must be true or false." })
        .optional(),
    },
    { error: "dataAccessPolicy must be an object." },
  )
  .nullish()
  .meta({ description: "Omitted: the namespace takes the account's policy." });

const bodyObject = { error: "The request body must be a JSON object." };

/** The body of `POST /networks/{network}/namespaces`; unknown fields are ignored. */
export const createNamespaceBody = z.object(
  {
    namespace: nameSchema(NAMESPACE_NAME, "The namespace name.", {
      required: "namespace must be specified as a string.",
      type: "namespace must be specified as a string.",
    }),
    retentionInSeconds,
    groupId: authGroupId,
    geoLocation,
    dataAccessPolicy: namespacePolicy,
  },
  bodyObject,
);
export type CreateNamespaceRequest = z.output<typeof createNamespaceBody>;

/** The body of `PUT /networks/{network}/namespaces/{namespaceId}`; only the retention can change. */
export const updateNamespaceBody = z.object(
  {
    namespace: z
      .string({ error: "The namespace in the body must be given, the namespace in the URL." })
      .meta({ description: "The namespace of the URL." }),
    retentionInSeconds,
    groupId: authGroupId.optional().meta({
      description: "The current group, or absent: a namespace changes group through /auth/namespaces.",
    }),
    geoLocation: geoLocation.meta({
      description: "The CLI sends the current location back; it cannot change.",
    }),
  },
  bodyObject,
);
export type UpdateNamespaceRequest = z.output<typeof updateNamespaceBody>;

// Responses -----------------------------------------------------------------------------------------

export const namespaceResponse = z
  .object({
    namespace: z.string(),
    retentionInSeconds: z.number().int(),
    geoLocation: z.string(),
    groupId: z.number().int(),
    dataAccessPolicy: z.object({
      restrictDataAccess: z.boolean(),
      policyType: z.enum(["inherited", "overridden"]),
    }),
  })
  .meta({ id: "Namespace" });

export const namespaceListResponse = z.object({
  namespaces: z.array(z.union([namespaceResponse, z.object({ namespace: z.string() })])),
});

export const namespaceDeletedResponse = z.object({
  operationPerformed: z.literal("DELETED"),
  description: z.string(),
  id: z.string().meta({ description: "The account's CP code." }),
});

export const namespaceScheduledResponse = z.object({
  scheduledDeleteTime: z.iso.datetime().meta({ description: "When the namespace and its items go." }),
});

export const namesResponse = (what: string) => z.array(z.string()).meta({ description: what });

export const itemWrittenResponse = z
  .string()
  .meta({ description: "`Item was upserted in KV store with database …, namespace …, group …, and key ….`" });
export const itemDeletedResponse = z.string().meta({
  description:
    "`Item was marked for deletion from KV store with database …, namespace …, group …, and key ….`",
});

const initializationState = z.enum(["INITIALIZED", "UNINITIALIZED"]);
const accountPolicy = z
  .object({ restrictDataAccess: z.boolean(), allowNamespacePolicyOverride: z.boolean() })
  .meta({ id: "DataAccessPolicy" });

export const initializationResponse = z
  .object({
    accountStatus: initializationState,
    cpcode: z.string().nullable(),
    productionStatus: initializationState,
    stagingStatus: initializationState,
    dataAccessPolicy: accountPolicy,
  })
  .meta({ id: "Initialization" });

const POLICY_FLAGS =
  "dataAccessPolicy.restrictDataAccess and dataAccessPolicy.allowNamespacePolicyOverride must be booleans.";

export const initializeBody = z.object(
  {
    dataAccessPolicy: z
      .object(
        {
          restrictDataAccess: z.boolean({ error: POLICY_FLAGS }).default(false),
          allowNamespacePolicyOverride: z.boolean({ error: POLICY_FLAGS }).default(true),
        },
        { error: "dataAccessPolicy must be an object." },
      )
      .optional()
      .meta({ description: "The account's policy; default: not restricted, namespaces may override it." }),
  },
  bodyObject,
);

// Permission groups and policies (`/auth`) ----------------------------------------------------------

const GROUP_ID_MESSAGE = "groupId must be an integer of 0 or more.";

export const authGroupParams = z.object({
  groupId: z
    .string()
    .regex(/^\d{1,15}$/, GROUP_ID_MESSAGE)
    .transform(Number)
    .meta({ description: "A permission group's id." }),
});

export const authNamespaceParams = z.object({
  namespaceId: nameSchema(NAMESPACE_NAME, "The namespace name."),
});

export const reauthorizeBody = z.object({ groupId: authGroupId }, bodyObject);

export const reauthorizedResponse = z.object({ groupId: z.number().int() });

export const permissionGroupResponse = z
  .object({
    groupId: z.number().int(),
    groupName: z.string(),
    capabilities: z.array(z.string()).meta({ description: "What you may do with the group's namespaces." }),
  })
  .meta({ id: "PermissionGroup" });

export const permissionGroupsResponse = z.object({ groups: z.array(permissionGroupResponse) });

export const databasePolicyBody = z.object(
  {
    dataAccessPolicy: z
      .object(
        {
          restrictDataAccess: z.boolean({ error: POLICY_FLAGS }).optional(),
          allowNamespacePolicyOverride: z.boolean({ error: POLICY_FLAGS }).optional(),
        },
        { error: "dataAccessPolicy must be an object." },
      )
      .meta({
        description: "The account's default policy for namespaces created from now on; absent fields stay.",
      }),
  },
  bodyObject,
);
