import { isEdgeWorkerId, MAX_EDGEWORKER_IDS } from "../rules/edgeworker-ids.ts";
import { isName, NAMESPACE_NAME } from "../rules/names.ts";
import { isPermission, MAX_NAMESPACES_PER_TOKEN } from "../rules/permissions.ts";
import { UserError } from "./user-error.ts";

/** The create-token options checked before anything is sent, as the official CLI checks them. */
export interface CreateTokenOptions {
  staging: "allow" | "deny";
  production: "allow" | "deny";
  ewids: string;
  namespace: string;
  expiry?: string;
}

const NAMESPACE_EXAMPLE = "e.g. --namespace default+rwd,ns2+r (r read, w write, d delete)";

function invalidNamespace(entry: string, why: string): UserError {
  return new UserError(`Invalid --namespace "${entry}": ${why}; ${NAMESPACE_EXAMPLE}.`);
}

/** `ns+rwd,ns2+r` → `{ ns: ["r","w","d"], ns2: ["r"] }`: no spaces, one `+`, each letter once. */
export function parseNamespacePermissions(text: string): Record<string, string[]> {
  if (/\s/.test(text)) throw invalidNamespace(text, "spaces are not allowed");
  const entries = text.split(",");
  if (entries.length > MAX_NAMESPACES_PER_TOKEN) {
    throw invalidNamespace(text, `at most ${MAX_NAMESPACES_PER_TOKEN} namespaces, not ${entries.length}`);
  }
  const permissions = new Map<string, string[]>();
  for (const entry of entries) {
    if (entry === "") throw invalidNamespace(text, "an entry is empty (check the commas)");
    const parts = entry.split("+");
    if (parts.length === 1) throw invalidNamespace(entry, "no permissions: add + and some of r, w, d");
    if (parts.length > 2) throw invalidNamespace(entry, "one + per namespace");
    const [name = "", letters = ""] = parts;
    if (name === "") throw invalidNamespace(entry, "the namespace name before + is missing");
    if (!isName(NAMESPACE_NAME, name)) {
      throw invalidNamespace(
        entry,
        "a namespace name has 1 to 32 letters, digits, _ or -, and does not start with -",
      );
    }
    if (letters === "") throw invalidNamespace(entry, "no permissions after +: give some of r, w, d");
    const unknown = [...letters].filter((letter) => !isPermission(letter));
    if (unknown.length > 0) {
      throw invalidNamespace(entry, `unknown permission "${unknown[0]}": use only r, w and d`);
    }
    if (new Set(letters).size !== letters.length) {
      throw invalidNamespace(entry, "each permission letter at most once");
    }
    if (permissions.has(name)) throw invalidNamespace(text, `namespace ${name} is given twice`);
    permissions.set(name, [...letters]);
  }
  return Object.fromEntries(permissions);
}

/** `all` → null (every EdgeWorker); otherwise up to 8 numeric ids. */
export function parseEdgeWorkerIds(text: string): string[] | null {
  if (text === "all") return null;
  const ids = text.split(",");
  const bad = ids.find((id) => !isEdgeWorkerId(id));
  if (bad !== undefined) {
    throw new UserError(
      `Invalid --ewids "${text}": ${bad === "all" ? '"all" stands alone' : `"${bad}" is not an EdgeWorker id`}; give "all" or comma-separated ids without spaces, e.g. --ewids 1234,5678.`,
    );
  }
  const unique = [...new Set(ids)];
  if (unique.length > MAX_EDGEWORKER_IDS) {
    throw new UserError(
      `Invalid --ewids: at most ${MAX_EDGEWORKER_IDS} EdgeWorker ids, not ${unique.length}; use "all" for every EdgeWorker.`,
    );
  }
  return unique;
}

/** `YYYY-MM-DD` and a real calendar date; the server checks the allowed range. */
export function parseExpiry(text: string): string {
  const parsed = new Date(`${text}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(text) ||
    Number.isNaN(parsed.getTime()) ||
    !parsed.toISOString().startsWith(text)
  ) {
    throw new UserError(
      `Invalid --expiry "${text}": give a date as YYYY-MM-DD, e.g. --expiry 2027-03-01 (from tomorrow up to 6 months ahead).`,
    );
  }
  return text;
}

/** The POST /tokens body, or a UserError naming the first option that is wrong. */
export function createTokenBody(name: string, options: CreateTokenOptions): Record<string, unknown> {
  const namespacePermissions = parseNamespacePermissions(options.namespace);
  const edgeWorkerIds = parseEdgeWorkerIds(options.ewids);
  const expiry = options.expiry === undefined ? undefined : parseExpiry(options.expiry);
  if (options.staging === "deny" && options.production === "deny") {
    throw new UserError(
      'A token must be allowed somewhere: set --staging allow or --production allow (both are "deny").',
    );
  }
  return {
    name,
    allowOnStaging: options.staging === "allow",
    allowOnProduction: options.production === "allow",
    namespacePermissions,
    ...(edgeWorkerIds === null ? {} : { restrictToEdgeWorkerIds: edgeWorkerIds }),
    ...(expiry === undefined ? {} : { expiry }),
  };
}
