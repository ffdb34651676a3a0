import { ApiError } from "../errors.ts";
import type { Network } from "../kv/model.ts";
import { checkNamespaceName } from "./names.ts";

export const GEO_LOCATIONS = ["US", "EU", "JP", "GLOBAL"] as const;
export type GeoLocation = (typeof GEO_LOCATIONS)[number];

export const MIN_RETENTION_SECONDS = 86_400;
export const MAX_RETENTION_SECONDS = 315_360_000;

export interface CreateNamespaceRequest {
  readonly namespace: string;
  readonly retentionInSeconds: number;
  readonly groupId: number;
  readonly geoLocation: GeoLocation;
  /** Undefined: the namespace takes the account's policy. */
  readonly restrictDataAccess: boolean | undefined;
}

export interface UpdateNamespaceRequest {
  readonly namespace: string;
  readonly retentionInSeconds: number;
  readonly groupId: number;
  /** The CLI sends the current location back; it cannot change. */
  readonly geoLocation: GeoLocation | undefined;
}

const invalid = (detail: string) => new ApiError("validation", detail);

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid("The request body must be a JSON object.");
  }
  return body as Record<string, unknown>;
}

/** A non-negative integer, also as a string of digits: the official CLI sends groupId as a string. */
function wholeNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === "string" && /^\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

function readNamespaceName(value: unknown): string {
  if (typeof value !== "string") throw invalid("namespace must be specified as a string.");
  return checkNamespaceName(value, "validation");
}

function readRetention(value: unknown): number {
  if (value === undefined || value === null) throw invalid("Retention period must be specified.");
  const seconds = wholeNumber(value);
  if (
    seconds === undefined ||
    (seconds !== 0 && (seconds < MIN_RETENTION_SECONDS || seconds > MAX_RETENTION_SECONDS))
  ) {
    throw invalid(
      `retentionInSeconds must be 0 (keep items until deleted) or from ${MIN_RETENTION_SECONDS} to ${MAX_RETENTION_SECONDS}.`,
    );
  }
  return seconds;
}

function readGroupId(value: unknown): number {
  if (value === undefined || value === null) throw invalid("groupId must be specified (0 for no group).");
  const groupId = wholeNumber(value);
  if (groupId === undefined) throw invalid("groupId must be an integer of 0 or more.");
  return groupId;
}

function readGeoLocation(value: unknown): GeoLocation | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const upper = typeof value === "string" ? value.toUpperCase() : undefined;
  const location = GEO_LOCATIONS.find((known) => known === upper);
  if (location === undefined) throw invalid(`geoLocation must be one of ${GEO_LOCATIONS.join(", ")}.`);
  return location;
}

function readRestrictDataAccess(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw invalid("dataAccessPolicy must be an object.");
  const { restrictDataAccess } = value as Record<string, unknown>;
  if (restrictDataAccess === undefined) return undefined;
  if (typeof restrictDataAccess !== "boolean") {
    throw invalid("dataAccessPolicy.restrictDataAccess must be true or false.");
  }
  return restrictDataAccess;
}

/** The body of `POST /networks/{network}/namespaces`; unknown fields are ignored. */
export function readCreateNamespaceRequest(body: unknown, network: Network): CreateNamespaceRequest {
  const fields = objectBody(body);
  const namespace = readNamespaceName(fields.namespace);
  const retentionInSeconds = readRetention(fields.retentionInSeconds);
  const groupId = readGroupId(fields.groupId);
  const geoLocation = readGeoLocation(fields.geoLocation) ?? "US";
  if (network === "staging" && geoLocation !== "US") {
    throw invalid("The staging network only supports US location.");
  }
  const restrictDataAccess = readRestrictDataAccess(fields.dataAccessPolicy);
  return { namespace, retentionInSeconds, groupId, geoLocation, restrictDataAccess };
}

/** The body of `PUT /networks/{network}/namespaces/{namespace}`; unknown fields are ignored. */
export function readUpdateNamespaceRequest(body: unknown, pathName: string): UpdateNamespaceRequest {
  const fields = objectBody(body);
  if (fields.namespace !== pathName) {
    throw invalid(`The namespace in the body must be ${pathName}, the namespace in the URL.`);
  }
  return {
    namespace: pathName,
    retentionInSeconds: readRetention(fields.retentionInSeconds),
    groupId: readGroupId(fields.groupId),
    geoLocation: readGeoLocation(fields.geoLocation),
  };
}
