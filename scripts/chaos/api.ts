import { admin, type Call, type Endpoint, type Reply } from "./http.ts";
import type { ItemState, TokenState } from "./ledger.ts";

/** Every item lives in the `default` namespace on production, which first run creates. */
export const adminItemPath = (group: string, key: string) =>
  `/edgekv/v1/networks/production/namespaces/default/groups/${group}/items/${key}`;

/** Without a /net/ prefix the data plane means production: the same item as the admin path. */
export const dataPlaneItemPath = (group: string, key: string) =>
  `/api/v1/namespaces/default/groups/${group}/items/${key}`;

export const tokenPath = (name: string) => `/edgekv/v1/tokens/${name}`;

export function createTokenCall(name: string): Call {
  return {
    method: "POST",
    path: "/edgekv/v1/tokens",
    contentType: "application/json",
    body: JSON.stringify({
      name,
      allowOnStaging: true,
      allowOnProduction: true,
      namespacePermissions: { default: ["r", "w", "d"] },
    }),
  };
}

export function uuidOf(reply: Reply): string {
  const parsed: unknown = JSON.parse(reply.body.toString("utf8"));
  if (typeof parsed === "object" && parsed !== null && "uuid" in parsed && typeof parsed.uuid === "string")
    return parsed.uuid;
  throw new Error(`a token answer without a uuid: ${reply.body.toString("utf8").slice(0, 200)}`);
}

export const describeReply = (reply: Reply): string =>
  `${reply.status} ${reply.body.toString("utf8").slice(0, 200)}`;

/** The state a read shows, or the reply itself when it was neither the value nor 404. */
export async function readItem(endpoint: Endpoint, group: string, key: string): Promise<ItemState | Reply> {
  const reply = await admin(endpoint, { method: "GET", path: adminItemPath(group, key) });
  if (reply.status === 404) return { present: false };
  if (reply.status !== 200) return reply;
  const value = reply.body.toString("utf8");
  // Invalid UTF-8 would decode to the same replacement characters whatever the bytes: show them.
  const exact = Buffer.from(value, "utf8").equals(reply.body);
  return {
    present: true,
    value: exact ? value : `invalid UTF-8: ${reply.body.toString("hex")}`,
    json: reply.contentType.startsWith("application/json"),
  };
}

export const isReply = (value: object): value is Reply => "status" in value;

export async function readToken(endpoint: Endpoint, name: string): Promise<TokenState | Reply> {
  const reply = await admin(endpoint, { method: "GET", path: tokenPath(name) });
  if (reply.status === 404) return { live: false };
  if (reply.status !== 200) return reply;
  return { live: true, uuid: uuidOf(reply) };
}
