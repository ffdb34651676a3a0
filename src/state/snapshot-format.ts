import { z } from "zod";
import { ACCOUNT_ID_PATTERN } from "../accounts/account-service.ts";
import { ALL_CAPABILITIES } from "../accounts/model.ts";
import { ITEM_CONTENT_TYPES, NETWORKS } from "../kv/model.ts";
import { PERMISSIONS } from "../rules/permissions.ts";

export const SNAPSHOT_FORMAT = "edgekv-server-state";
export const SNAPSHOT_VERSION = 1;

/** An instant to the millisecond, as `Date.toISOString` writes it: what the database holds, exactly. */
const instant = z.iso.datetime({
  precision: 3,
  error: "must be a UTC time such as 2026-11-28T10:00:00.000Z",
});
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date such as 2027-01-31");
const network = z.enum(NETWORKS);

/** A record refuses an own `__proto__` key by name: zod would drop it silently. */
const record = <V extends z.ZodType>(values: V) =>
  z.preprocess(
    (value, context) => {
      if (typeof value === "object" && value !== null && Object.hasOwn(value, "__proto__")) {
        context.addIssue({ code: "custom", message: 'must not have a key "__proto__"' });
      }
      return value;
    },
    z.record(z.string(), values),
  );

const account = z.strictObject({
  id: z.string().regex(ACCOUNT_ID_PATTERN, "is not an account id"),
  cpcode: z.string().nullable(),
  initializedAt: instant.nullable(),
  dataAccessPolicy: z.strictObject({
    restrictDataAccess: z.boolean(),
    allowNamespacePolicyOverride: z.boolean(),
  }),
  createdAt: instant,
});

const client = z.strictObject({
  clientToken: z.string().min(1),
  accessToken: z.string().min(1),
  /** As stored, sealed with the source database's secret key. */
  sealedSecret: z.string().min(1).optional(),
  /** With --include-secrets: in plain text. */
  clientSecret: z.string().min(1).optional(),
  accountId: z.string(),
  capabilities: z.array(z.enum(ALL_CAPABILITIES)),
  canSwitchAccounts: z.boolean(),
  enabled: z.boolean(),
  description: z.string(),
  createdAt: instant,
});

const signingKey = z.strictObject({
  kid: z.string().min(1),
  algorithm: z.literal("ES256"),
  sealedPrivateJwk: z.string().min(1).optional(),
  privateJwk: record(z.string()).optional(),
  publicJwk: record(z.string()),
  createdAt: instant,
  publishUntil: instant,
});

const namespace = z.strictObject({
  accountId: z.string(),
  network,
  name: z.string().min(1),
  retentionInSeconds: z.int().nonnegative(),
  geoLocation: z.string(),
  groupId: z.int().nonnegative(),
  restrictDataAccess: z.boolean(),
  createdAt: instant,
});

const scheduledDeletion = z.strictObject({
  accountId: z.string(),
  network,
  namespace: z.string(),
  deleteAt: instant,
});

const item = z.strictObject({
  accountId: z.string(),
  network,
  namespace: z.string(),
  group: z.string().min(1),
  key: z.string().min(1),
  contentType: z.enum(ITEM_CONTENT_TYPES),
  /** The value's bytes, base64. */
  value: z.base64("must be base64"),
  updatedAt: instant,
  expiresAt: instant.nullable(),
});

const token = z.strictObject({
  uuid: z.string().min(1),
  accountId: z.string(),
  name: z.string().min(1),
  kind: z.enum(["enhanced", "legacy"]),
  allowOnProduction: z.boolean(),
  allowOnStaging: z.boolean(),
  namespacePermissions: record(z.array(z.enum(PERMISSIONS))),
  edgeWorkerIds: z.array(z.string()).nullable(),
  cpcode: z.string(),
  expiry: day,
  expiresAt: instant.nullable(),
  issuedAt: instant,
  latestRefreshOn: day.nullable(),
  nextRefreshOn: day.nullable(),
  credential: z.string(),
  previousCredential: z.string().nullable(),
  credentialVersion: z.int().positive(),
  activationDueAt: instant,
  activationOutcome: z.enum(["COMPLETE", "ERROR"]),
  revokedAt: instant.nullable(),
  createdAt: instant,
});

const document = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT, `must be "${SNAPSHOT_FORMAT}": this is not an edgekv-server snapshot`),
  version: z.literal(SNAPSHOT_VERSION, `must be ${SNAPSHOT_VERSION}, the only version this server reads`),
  /** `sealed`: secrets as stored; `plain`: client secrets and private keys in plain text. */
  secrets: z.enum(["sealed", "plain"]),
  settings: record(z.string()),
  accounts: z.array(account),
  clients: z.array(client),
  signingKeys: z.array(signingKey),
  namespaces: z.array(namespace),
  scheduledDeletions: z.array(scheduledDeletion),
  items: z.array(item),
  tokens: z.array(token),
});

export type Snapshot = z.output<typeof document>;

type Check = (problem: { path: PropertyKey[]; message: string }) => void;

/** Each key once in `rows`; `what` says what the key is. */
function unique<T>(
  rows: readonly T[],
  where: string,
  keyOf: (row: T) => string | null,
  what: string,
  fail: Check,
) {
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    const key = keyOf(row);
    if (key === null) return;
    const first = seen.get(key);
    if (first !== undefined)
      fail({ path: [where, index], message: `${what} ${key} is listed twice (also ${where}[${first}])` });
    seen.set(key, index);
  });
}

/** Each row's parent is in the snapshot. */
function belongs<T>(
  rows: readonly T[],
  where: string,
  parentOf: (row: T) => string,
  parents: ReadonlySet<string>,
  what: string,
  fail: Check,
) {
  rows.forEach((row, index) => {
    const parent = parentOf(row);
    if (!parents.has(parent))
      fail({ path: [where, index], message: `${what} ${parent} is not in the snapshot` });
  });
}

/**
 * What the database's keys and foreign keys would refuse, and secrets in the form `secrets` says,
 * checked before anything is written, so a broken snapshot names its first wrong row.
 */
function checkSnapshot(snapshot: Snapshot, fail: Check): void {
  const { secrets } = snapshot;
  snapshot.clients.forEach((row, index) => {
    const field = secrets === "sealed" ? "sealedSecret" : "clientSecret";
    if (
      row[field] === undefined ||
      row[secrets === "sealed" ? "clientSecret" : "sealedSecret"] !== undefined
    ) {
      fail({
        path: ["clients", index, field],
        message: `every client has a ${field} (and only that) when secrets is "${secrets}"`,
      });
    }
  });
  snapshot.signingKeys.forEach((row, index) => {
    const field = secrets === "sealed" ? "sealedPrivateJwk" : "privateJwk";
    if (
      row[field] === undefined ||
      row[secrets === "sealed" ? "privateJwk" : "sealedPrivateJwk"] !== undefined
    ) {
      fail({
        path: ["signingKeys", index, field],
        message: `every key has a ${field} (and only that) when secrets is "${secrets}"`,
      });
    }
  });
  const namespaceKey = (row: { accountId: string; network: string }, name: string) =>
    `${row.accountId}/${row.network}/${name}`;
  unique(snapshot.accounts, "accounts", (row) => row.id, "account", fail);
  unique(snapshot.clients, "clients", (row) => row.clientToken, "client", fail);
  unique(snapshot.signingKeys, "signingKeys", (row) => row.kid, "signing key", fail);
  unique(snapshot.namespaces, "namespaces", (row) => namespaceKey(row, row.name), "namespace", fail);
  unique(
    snapshot.scheduledDeletions,
    "scheduledDeletions",
    (row) => namespaceKey(row, row.namespace),
    "deletion of",
    fail,
  );
  unique(
    snapshot.items,
    "items",
    (row) => `${namespaceKey(row, row.namespace)}/${row.group}/${row.key}`,
    "item",
    fail,
  );
  unique(snapshot.tokens, "tokens", (row) => row.uuid, "token", fail);
  unique(
    snapshot.tokens,
    "tokens",
    (row) => (row.revokedAt === null ? `${row.accountId}/${row.name}` : null),
    "live token",
    fail,
  );
  const accounts = new Set(snapshot.accounts.map((row) => row.id));
  const namespaces = new Set(snapshot.namespaces.map((row) => namespaceKey(row, row.name)));
  belongs(snapshot.clients, "clients", (row) => row.accountId, accounts, "account", fail);
  belongs(snapshot.namespaces, "namespaces", (row) => row.accountId, accounts, "account", fail);
  belongs(snapshot.tokens, "tokens", (row) => row.accountId, accounts, "account", fail);
  belongs(
    snapshot.scheduledDeletions,
    "scheduledDeletions",
    (row) => namespaceKey(row, row.namespace),
    namespaces,
    "namespace",
    fail,
  );
  belongs(snapshot.items, "items", (row) => namespaceKey(row, row.namespace), namespaces, "namespace", fail);
}

/** A snapshot: its shape, then its keys and references, before anything is written. */
export const snapshotSchema = document.superRefine((snapshot, context) => {
  let reported = false;
  checkSnapshot(snapshot, ({ path, message }) => {
    if (reported) return;
    reported = true;
    context.addIssue({ code: "custom", path, message });
  });
});
