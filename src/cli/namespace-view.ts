import { NOT_AVAILABLE, type Paint, plural, renderFields } from "./format.ts";
import type { Network } from "./kv-path.ts";
import { UserError } from "./user-error.ts";

/** A namespace as the API returns it; the list leaves the details out unless asked. */
export interface NamespaceJson {
  namespace: string;
  retentionInSeconds?: number;
  geoLocation?: string;
  groupId?: number;
  dataAccessPolicy?: { restrictDataAccess?: boolean; policyType?: string };
}

const DAY_SECONDS = 86_400;
const MAX_RETENTION_DAYS = 3650;

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function readNamespace(value: unknown): NamespaceJson {
  if (!isRecord(value) || typeof value.namespace !== "string") {
    throw new UserError("The server answered with something that is not an EdgeKV namespace.");
  }
  return value as unknown as NamespaceJson;
}

export function readNamespaceList(value: unknown): NamespaceJson[] {
  if (!isRecord(value) || !Array.isArray(value.namespaces)) {
    throw new UserError("The server answered with something that is not a list of namespaces.");
  }
  return value.namespaces.map(readNamespace);
}

/** Days, as the official CLI takes them; 0 keeps items forever. */
export function retentionSeconds(text: string): number {
  const days = Number(text);
  if (!/^\d+$/.test(text) || days > MAX_RETENTION_DAYS) {
    throw new UserError(
      `Invalid --retention "${text}": give whole days from 1 to ${MAX_RETENTION_DAYS}, or 0 to keep items forever.`,
    );
  }
  return days * DAY_SECONDS;
}

export function groupIdNumber(text: string, option = "--groupId"): number {
  if (!/^\d{1,10}$/.test(text)) {
    throw new UserError(`Invalid ${option} "${text}": give a numeric group id, or 0 for no restriction.`);
  }
  return Number(text);
}

export function describeRetention(seconds: number | undefined): string {
  if (seconds === undefined) return NOT_AVAILABLE;
  if (seconds === 0) return "indefinite";
  return seconds % DAY_SECONDS === 0 ? plural(seconds / DAY_SECONDS, "day") : `${seconds} seconds`;
}

const describePolicy = (policy: NamespaceJson["dataAccessPolicy"]) =>
  policy === undefined
    ? NOT_AVAILABLE
    : `restrictDataAccess=${String(policy.restrictDataAccess ?? false)}${policy.policyType === undefined ? "" : `, policyType=${policy.policyType}`}`;

export function renderNamespace(namespace: NamespaceJson, network: Network, paint: Paint): string {
  return renderFields(
    [
      ["Namespace", namespace.namespace],
      ["Network", network],
      ["Retention", describeRetention(namespace.retentionInSeconds)],
      ["Geo location", namespace.geoLocation ?? NOT_AVAILABLE],
      ["Group id", namespace.groupId === undefined ? NOT_AVAILABLE : String(namespace.groupId)],
      ["Data access policy", describePolicy(namespace.dataAccessPolicy)],
    ],
    paint,
  );
}

/** The official CLI's `--order-by` columns, by each name it accepts. */
type OrderColumn = "namespace" | "retentionInSeconds" | "geoLocation" | "groupId";
const ORDER_COLUMNS: Readonly<Record<string, OrderColumn>> = {
  namespace: "namespace",
  namespaceid: "namespace",
  retention: "retentionInSeconds",
  retentionperiod: "retentionInSeconds",
  geolocation: "geoLocation",
  groupid: "groupId",
  accessgroupid: "groupId",
};

export interface OrderOptions {
  details?: boolean;
  orderBy?: string;
  ascending?: boolean;
  descending?: boolean;
}

/** Sorted as `list ns --order-by <column> [--asc|--desc]` sorts, by name unless told otherwise. */
export function orderNamespaces(
  namespaces: readonly NamespaceJson[],
  options: OrderOptions,
): NamespaceJson[] {
  if (options.ascending === true && options.descending === true) {
    throw new UserError("Give --asc or --desc, not both.");
  }
  let column: OrderColumn = "namespace";
  if (options.orderBy !== undefined) {
    if (options.details !== true) throw new UserError("--order-by needs --details (-d).");
    const found = ORDER_COLUMNS[options.orderBy.toLowerCase()];
    if (found === undefined) {
      throw new UserError(
        `Cannot order by "${options.orderBy}": give namespace, retention, geoLocation or groupId.`,
      );
    }
    column = found;
  }
  const sign = options.descending === true ? -1 : 1;
  const key = (namespace: NamespaceJson) => namespace[column];
  return [...namespaces].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x === y) return 0;
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    return (x < y ? -1 : 1) * sign;
  });
}

/** A namespace as the official CLI lists it in `--jsonout` data. */
export const officialRow = (namespace: NamespaceJson, details: boolean) =>
  details
    ? {
        NamespaceId: namespace.namespace,
        RetentionPeriod: describeRetention(namespace.retentionInSeconds),
        GeoLocation: namespace.geoLocation,
        AccessGroupId: namespace.groupId ?? 0,
      }
    : { NamespaceId: namespace.namespace };
