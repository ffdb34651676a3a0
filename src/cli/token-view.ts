import {
  type Cell,
  daysUntil,
  NOT_AVAILABLE,
  type Paint,
  plain,
  plural,
  renderFields,
  renderTable,
} from "./format.ts";
import { UserError } from "./user-error.ts";

/** A token as the API returns it; fields a server may leave out are optional. */
export interface TokenJson {
  name: string;
  uuid?: string;
  expiry?: string;
  tokenActivationStatus?: string;
  issueDate?: string;
  latestRefreshDate?: string | null;
  nextScheduledRefreshDate?: string | null;
  cpcode?: string;
  restrictToEdgeWorkerIds?: string[];
  allowOnProduction?: boolean;
  allowOnStaging?: boolean;
  namespacePermissions?: Record<string, string[]>;
  /** Legacy tokens: the JWT itself. */
  value?: string;
}

/** Enhanced tokens carry 9999-12-31; the official CLI treats any year from 9999 on as never. */
const isIndefinite = (expiry: string) => Number(expiry.slice(0, 4)) >= 9999;
export const EXPIRY_WARNING_DAYS = 30;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function readToken(value: unknown): TokenJson {
  if (!isRecord(value) || typeof value.name !== "string") {
    throw new UserError("The server answered with something that is not an EdgeKV token.");
  }
  return value as unknown as TokenJson;
}

export function readTokenList(value: unknown): TokenJson[] {
  if (!isRecord(value) || !Array.isArray(value.tokens)) {
    throw new UserError("The server answered with something that is not an EdgeKV token list.");
  }
  return value.tokens.map(readToken);
}

const PERMISSION_NAMES: Readonly<Record<string, string>> = { r: "READ", w: "WRITE", d: "DELETE" };

export const describePermissions = (letters: readonly string[]) =>
  `[${letters.map((letter) => PERMISSION_NAMES[letter] ?? letter).join(",")}]`;

const statusStyle = (status: string | undefined): Cell["style"] =>
  status === "COMPLETE" ? "green" : status === "ERROR" ? "red" : status === undefined ? undefined : "yellow";

const inDays = (days: number) => (days === 0 ? "today" : days === 1 ? "in 1 day" : `in ${days} days`);

/** `2027-01-10 (in 12 days)`, or a note that the date has passed; `now` is the server's time. */
export function describeExpiry(expiry: string | undefined, now: Date): Cell {
  if (expiry === undefined) return { text: NOT_AVAILABLE };
  if (isIndefinite(expiry)) return { text: "INDEFINITE" };
  const days = daysUntil(expiry, now);
  if (days === null) return { text: expiry };
  if (days < 0) return { text: `${expiry} (expired)`, style: "red" };
  const text = `${expiry} (${inDays(days)})`;
  return days < EXPIRY_WARNING_DAYS ? { text, style: "yellow" } : { text };
}

/**
 * `2027-01-27 (in 60 days)`, or `(due)` once the date has come: the server refreshes the token at
 * its next scheduled run (on a `--clock manual` server, when its clock next moves).
 */
export function describeRefresh(date: string | null | undefined, now: Date, missing: string): Cell {
  if (date === undefined || date === null) return { text: missing };
  const days = daysUntil(date, now);
  if (days === null) return { text: date };
  if (days <= 0) return { text: `${date} (due)`, style: "yellow" };
  return { text: `${date} (${inDays(days)})` };
}

/** Whether showing the token takes the time: a dated expiry, or a scheduled refresh. */
export const showsRelativeDates = (token: TokenJson): boolean =>
  (token.expiry !== undefined && !isIndefinite(token.expiry)) ||
  typeof token.nextScheduledRefreshDate === "string";

/** A warning line for a legacy token that has expired or expires within 30 days; null otherwise. */
export function expiryWarning(token: TokenJson, now: Date): string | null {
  if (token.expiry === undefined || isIndefinite(token.expiry)) return null;
  const days = daysUntil(token.expiry, now);
  if (days === null || days >= EXPIRY_WARNING_DAYS) return null;
  if (days < 0) return `Warning: token ${token.name} expired on ${token.expiry}.`;
  const when = days === 0 ? "today" : days === 1 ? "tomorrow" : `in ${days} days`;
  return `Warning: token ${token.name} expires ${when} (${token.expiry}); create a new one before then.`;
}

/** The list as a table; `now` is the server's time, from which "expired" and "in N days" are told. */
export function renderTokenTable(tokens: readonly TokenJson[], now: Date, paint: Paint = plain): string {
  if (tokens.length === 0) {
    return "No tokens. Create one with: edgekv token create <name> --staging allow --production deny --ewids all --namespace default+r";
  }
  const rows = tokens.map((token) => [
    token.name,
    { text: token.tokenActivationStatus ?? "-", style: statusStyle(token.tokenActivationStatus) },
    token.issueDate ?? "-",
    token.latestRefreshDate ?? "-",
    describeRefresh(token.nextScheduledRefreshDate, now, "-"),
    describeExpiry(token.expiry, now),
  ]);
  const warnings = tokens.flatMap((token) => expiryWarning(token, now) ?? []);
  return [
    renderTable(["NAME", "STATUS", "ISSUED", "LATEST REFRESH", "NEXT REFRESH", "EXPIRY"], rows, paint),
    "",
    `${plural(tokens.length, "token")}.`,
    ...warnings.map((warning) => paint(warning, "yellow")),
  ].join("\n");
}

/** The claims of a legacy token's JWT, read for display only (the server is the one that verifies). */
function jwtClaims(value: string): Record<string, unknown> {
  const payload = value.split(".")[1];
  if (payload === undefined) return {};
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    return isRecord(claims) ? claims : {};
  } catch {
    return {};
  }
}

const yesNo = (flag: boolean | undefined) => (flag === undefined ? NOT_AVAILABLE : flag ? "yes" : "no");

const secondsToDate = (seconds: unknown) =>
  typeof seconds === "number" ? new Date(seconds * 1000).toISOString().slice(0, 10) : NOT_AVAILABLE;

type Field = readonly [string, Cell | string];
type Permissions = ReadonlyArray<readonly [string, readonly string[]]>;

function legacyFields(token: TokenJson, now: Date): { fields: Field[]; permissions: Permissions } {
  const claims = jwtClaims(token.value ?? "");
  const env = Array.isArray(claims.env) ? claims.env : [];
  const permissions = Object.entries(tokenPermissions(token));
  const fields: Field[] = [
    ["Token name", token.name],
    ["Token UUID", token.uuid ?? NOT_AVAILABLE],
    ["Issue date", secondsToDate(claims.iat)],
    ["Expiry date", describeExpiry(token.expiry, now)],
    ["CP code", typeof claims.cpc === "string" ? claims.cpc : NOT_AVAILABLE],
    ["Valid for EWIDs", typeof claims.ewids === "string" ? claims.ewids : NOT_AVAILABLE],
    ["Valid on production", yesNo(env.length === 0 ? undefined : env.includes("p"))],
    ["Valid on staging", yesNo(env.length === 0 ? undefined : env.includes("s"))],
    ["Value", token.value ?? NOT_AVAILABLE],
  ];
  return { fields, permissions };
}

function enhancedFields(token: TokenJson, now: Date): { fields: Field[]; permissions: Permissions } {
  const fields: Field[] = [
    ["Token name", token.name],
    ["Token UUID", token.uuid ?? NOT_AVAILABLE],
    ["Issue date", token.issueDate ?? NOT_AVAILABLE],
    ["Expiry date", describeExpiry(token.expiry, now)],
    [
      "Activation status",
      {
        text: token.tokenActivationStatus ?? NOT_AVAILABLE,
        style: statusStyle(token.tokenActivationStatus),
      },
    ],
    ["Latest refresh date", token.latestRefreshDate ?? NOT_AVAILABLE],
    ["Next refresh date", describeRefresh(token.nextScheduledRefreshDate, now, NOT_AVAILABLE)],
    ["CP code", token.cpcode ?? NOT_AVAILABLE],
    ["Valid for EWIDs", token.restrictToEdgeWorkerIds?.join(",") ?? "all"],
    ["Valid on production", yesNo(token.allowOnProduction)],
    ["Valid on staging", yesNo(token.allowOnStaging)],
  ];
  return { fields, permissions: Object.entries(token.namespacePermissions ?? {}) };
}

/**
 * One token, field by field, as the official CLI shows it; permissions as `ns: [READ,WRITE]`. `now`
 * is the server's time.
 */
export function renderTokenDetail(token: TokenJson, now: Date, paint: Paint = plain): string {
  const { fields, permissions } =
    typeof token.value === "string" ? legacyFields(token, now) : enhancedFields(token, now);
  const warning = expiryWarning(token, now);
  return [
    renderFields(fields, paint),
    permissions.length === 0 ? `Namespace permissions: ${NOT_AVAILABLE}` : "Namespace permissions:",
    ...permissions.map(([namespace, letters]) => `  ${namespace}: ${describePermissions(letters)}`),
    ...(warning === null ? [] : [paint(warning, "yellow")]),
  ].join("\n");
}

/** What to put in edgekv_tokens.js by hand when --save_path is not given. */
export function tokensFileHint(token: TokenJson): string {
  const namespaces = Object.keys(tokenPermissions(token));
  const entry =
    typeof token.value === "string"
      ? `{ "name": ${JSON.stringify(token.name)}, "value": ${JSON.stringify(token.value)} }`
      : `{ "name": ${JSON.stringify(token.name)}, "reference": ${JSON.stringify(token.uuid ?? "")} }`;
  const lines = namespaces.map((namespace) => `  ${JSON.stringify(`namespace-${namespace}`)}: ${entry},`);
  return [
    "Add it to edgekv_tokens.js in your EdgeWorker bundle (or pass --save_path <dir>):",
    ...(lines.length === 0 ? [`  "namespace-<ns>": ${entry},`] : lines),
  ].join("\n");
}

/** Namespace → permission letters: from the token, or from a legacy token's JWT claims. */
export function tokenPermissions(token: TokenJson): Record<string, string[]> {
  if (token.namespacePermissions !== undefined) return token.namespacePermissions;
  return Object.fromEntries(
    Object.entries(jwtClaims(token.value ?? ""))
      .filter(([claim, letters]) => claim.startsWith("namespace-") && Array.isArray(letters))
      .map(([claim, letters]) => [claim.slice("namespace-".length), letters as string[]]),
  );
}
