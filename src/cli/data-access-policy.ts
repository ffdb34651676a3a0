import { UserError } from "./user-error.ts";

export interface DataAccessPolicy {
  restrictDataAccess?: boolean;
  allowNamespacePolicyOverride?: boolean;
}

const KEYS = ["restrictDataAccess", "allowNamespacePolicyOverride"] as const;
const FORM = "restrictDataAccess=<true|false>,allowNamespacePolicyOverride=<true|false>";

const isKey = (key: string): key is (typeof KEYS)[number] => (KEYS as readonly string[]).includes(key);

/**
 * `--dataAccessPolicy restrictDataAccess=false,allowNamespacePolicyOverride=true`, the official
 * CLI's form. It wants both settings; one is enough here, as the API keeps the other.
 */
export function parseDataAccessPolicy(text: string): DataAccessPolicy {
  const policy: DataAccessPolicy = {};
  for (const entry of text.split(",")) {
    const [key = "", value, ...rest] = entry.split("=").map((part) => part.trim());
    if (!isKey(key) || (value !== "true" && value !== "false") || rest.length > 0) {
      throw new UserError(`Invalid --dataAccessPolicy "${text}": give ${FORM}.`);
    }
    if (policy[key] !== undefined) throw new UserError(`--dataAccessPolicy gives ${key} twice.`);
    policy[key] = value === "true";
  }
  return policy;
}
