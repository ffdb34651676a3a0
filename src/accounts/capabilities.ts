import { ApiError } from "../errors.ts";
import type { Access } from "../http/route.ts";
import type { Caller } from "./caller.ts";
import type { ApiClient, Capability } from "./model.ts";

/** Throws 403 EKV_1000 naming the capability when the client holds none of `anyOf`. */
export function requireCapability(client: ApiClient, ...anyOf: Capability[]): void {
  if (anyOf.some((capability) => client.capabilities.includes(capability))) return;
  const names = anyOf.join(" or ");
  throw new ApiError(
    "forbidden",
    `The API client ${client.clientToken} lacks the ${names} capability. ` +
      `Create a client that has it: edgekv credentials create --account ${client.accountId} --capabilities ${anyOf[0]},...`,
  );
}

/** Route access: the caller's client holds one of `anyOf`. */
export const anyCapability = (...anyOf: Capability[]): Access<Caller, unknown> => ({
  describe: anyOf.join(" or "),
  errors: ["forbidden"],
  check: (caller) => requireCapability(caller.client, ...anyOf),
});
