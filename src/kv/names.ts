import { NETWORKS, type Network } from "../accounts/model.ts";
import { ApiError, type ErrorCode } from "../errors.ts";

/** The rules of EdgeKV names (the same ones `edgekv.js` checks before it sends a request). */
interface NameRule {
  readonly label: string;
  readonly maxLength: number;
  readonly mayStartWithDash: boolean;
}

const NAMESPACE: NameRule = { label: "Namespace name", maxLength: 32, mayStartWithDash: false };
const GROUP: NameRule = { label: "Group name", maxLength: 128, mayStartWithDash: true };
const ITEM: NameRule = { label: "Item key", maxLength: 512, mayStartWithDash: true };

const ALLOWED = /^[A-Za-z0-9_-]*$/;

function checkName(rule: NameRule, name: string, code: ErrorCode): string {
  if (name.length < 1 || name.length > rule.maxLength) {
    throw new ApiError(code, `${rule.label} must be 1 to ${rule.maxLength} characters long.`);
  }
  if (!ALLOWED.test(name)) {
    throw new ApiError(
      code,
      `${rule.label} contains invalid characters; use only A-Z, a-z, 0-9, '_' and '-'.`,
    );
  }
  if (!rule.mayStartWithDash && name.startsWith("-")) {
    throw new ApiError(code, `${rule.label} must not start with '-'.`);
  }
  return name;
}

/** `code`: `validation` for a name in a request body, `kv_validation` for one in the path. */
export const checkNamespaceName = (name: string, code: ErrorCode = "kv_validation"): string =>
  checkName(NAMESPACE, name, code);
export const checkGroupName = (name: string): string => checkName(GROUP, name, "kv_validation");
export const checkItemKey = (name: string): string => checkName(ITEM, name, "kv_validation");

export function checkNetwork(value: unknown): Network {
  const network = NETWORKS.find((known) => known === value);
  if (network === undefined)
    throw new ApiError("kv_validation", "The network must be staging or production.");
  return network;
}
