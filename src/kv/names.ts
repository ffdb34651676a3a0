import { ApiError, type ErrorCode } from "../errors.ts";
import { GROUP_NAME, ITEM_KEY, NAMESPACE_NAME, type NameRule, nameProblem } from "../rules/names.ts";
import { NETWORKS, type Network } from "./model.ts";

function checkName(rule: NameRule, name: string, code: ErrorCode): string {
  const problem = nameProblem(rule, name);
  if (problem !== null) throw new ApiError(code, problem);
  return name;
}

/** `code`: `validation` for a name in a request body, `kv_validation` for one in the path. */
export const checkNamespaceName = (name: string, code: ErrorCode = "kv_validation"): string =>
  checkName(NAMESPACE_NAME, name, code);
export const checkGroupName = (name: string): string => checkName(GROUP_NAME, name, "kv_validation");
export const checkItemKey = (name: string): string => checkName(ITEM_KEY, name, "kv_validation");

export function checkNetwork(value: unknown): Network {
  const network = NETWORKS.find((known) => known === value);
  if (network === undefined)
    throw new ApiError("kv_validation", "The network must be staging or production.");
  return network;
}
