import { ApiError } from "../errors.ts";
import { PERMISSIONS, type Permission } from "../rules/permissions.ts";
import { addDays, parseExpiryDate } from "./dates.ts";

export const TOKEN_NAME_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
export const NAMESPACE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
export const MAX_NAMESPACES = 20;
export const MAX_EDGEWORKER_IDS = 8;
export const MAX_EXPIRY_DAYS = 183;

export const EXPIRY_FORMAT_ERROR =
  "Invalid expiration time. The time format should be provided as per ISO-8601.";
export const EXPIRY_RANGE_ERROR =
  "Invalid expiration time. The expiry must be between 1 day and 6 months from today.";

export interface CreateTokenRequest {
  name: string;
  allowOnStaging: boolean;
  allowOnProduction: boolean;
  namespacePermissions: Record<string, Permission[]>;
  /** null: every EdgeWorker. */
  edgeWorkerIds: string[] | null;
  /** Legacy tokens: the expiry date; null for an enhanced token. */
  expiry: string | null;
}

const invalid = (detail: string) => new ApiError("validation", detail);

/** Checks a token name from a body or a path: 400 EKV_2000 with the rule it breaks. */
export function checkTokenName(name: unknown): string {
  if (name === undefined || name === null) throw invalid("The token name is required.");
  if (typeof name !== "string") throw invalid("The token name must be a string.");
  if (name.length < 1 || name.length > 32)
    throw invalid("The token name must be between 1 and 32 characters long.");
  if (!TOKEN_NAME_PATTERN.test(name)) {
    throw invalid("Name contains invalid characters. Use letters, digits, '_' and '-'.");
  }
  if (name.startsWith("-")) throw invalid("Name contains invalid characters. It must not start with '-'.");
  return name;
}

/** A JSON boolean, or the strings "true"/"false" that HTTPie's `field=value` form sends. */
function readFlag(body: Record<string, unknown>, field: string): boolean {
  const value = body[field];
  if (value === undefined || value === null) return false;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw invalid(`${field} must be true or false.`);
}

function readPermissions(value: unknown): Record<string, Permission[]> {
  if (value === undefined || value === null) throw invalid("namespacePermissions is required.");
  if (typeof value !== "object" || Array.isArray(value)) {
    throw invalid('namespacePermissions must be an object such as {"default": ["r", "w", "d"]}.');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length < 1 || entries.length > MAX_NAMESPACES) {
    throw invalid(
      `namespacePermissions must name between 1 and ${MAX_NAMESPACES} namespaces, not ${entries.length}.`,
    );
  }
  const permissions: Record<string, Permission[]> = {};
  for (const [namespace, letters] of entries) {
    if (!NAMESPACE_NAME_PATTERN.test(namespace) || namespace.startsWith("-")) {
      throw invalid(
        `Invalid namespace name "${namespace}": use 1 to 32 letters, digits, '_' or '-', not starting with '-'.`,
      );
    }
    const valid =
      Array.isArray(letters) &&
      letters.length >= 1 &&
      letters.length <= PERMISSIONS.length &&
      letters.every((letter) => (PERMISSIONS as readonly unknown[]).includes(letter)) &&
      new Set(letters).size === letters.length;
    if (!valid) {
      throw invalid(
        `Invalid permission for namespace "${namespace}": give 1 to 3 of "r", "w", "d", each once.`,
      );
    }
    Object.defineProperty(permissions, namespace, {
      value: letters as Permission[],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return permissions;
}

function readEdgeWorkerIds(body: Record<string, unknown>): string[] | null {
  const primary = body.restrictToEdgeWorkerIds;
  const alias = body.restrictToEwids;
  if (primary !== undefined && alias !== undefined && JSON.stringify(primary) !== JSON.stringify(alias)) {
    throw invalid(
      "Give restrictToEdgeWorkerIds or its alias restrictToEwids, not both with different values.",
    );
  }
  const value = primary ?? alias;
  const field = primary === undefined ? "restrictToEwids" : "restrictToEdgeWorkerIds";
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) throw invalid(`${field} must be an array of EdgeWorker ids such as ["1234"].`);
  if (value.length === 0 || (value.length === 1 && value[0] === "all")) return null;
  const ids = value.map((id) => {
    if (typeof id === "number" && Number.isSafeInteger(id) && id >= 0) return String(id);
    if (typeof id === "string" && /^\d{1,18}$/.test(id)) return id;
    throw invalid(
      `${field} must hold numeric EdgeWorker ids (or just "all"); ${JSON.stringify(id)} is not one.`,
    );
  });
  const unique = [...new Set(ids)];
  if (unique.length > MAX_EDGEWORKER_IDS) {
    throw invalid(`${field} may name at most ${MAX_EDGEWORKER_IDS} EdgeWorker ids, not ${unique.length}.`);
  }
  return unique;
}

function readExpiry(value: unknown, today: string): string | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value !== "string") throw invalid(EXPIRY_FORMAT_ERROR);
  const date = parseExpiryDate(value.trim());
  if (date === null) throw invalid(EXPIRY_FORMAT_ERROR);
  if (date < addDays(today, 1) || date > addDays(today, MAX_EXPIRY_DAYS)) throw invalid(EXPIRY_RANGE_ERROR);
  return date;
}

/** Validates a create body (already parsed strictly); unknown fields are ignored. */
export function readCreateTokenRequest(body: unknown, today: string): CreateTokenRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid("The request body must be a JSON object.");
  }
  const fields = body as Record<string, unknown>;
  const name = checkTokenName(fields.name);
  const allowOnStaging = readFlag(fields, "allowOnStaging");
  const allowOnProduction = readFlag(fields, "allowOnProduction");
  const namespacePermissions = readPermissions(fields.namespacePermissions);
  const edgeWorkerIds = readEdgeWorkerIds(fields);
  const expiry = readExpiry(fields.expiry, today);
  if (!allowOnStaging && !allowOnProduction) {
    throw invalid("At least one of allowOnStaging or allowOnProduction must be true.");
  }
  return { name, allowOnStaging, allowOnProduction, namespacePermissions, edgeWorkerIds, expiry };
}
