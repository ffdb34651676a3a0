import { expect } from "vitest";
import type { Network } from "../../src/kv/model.ts";
import type { Harness } from "../support/harness.ts";

export { problem } from "../support/problem.ts";

export const NETWORKS_URL = "/edgekv/v1/networks";
export const nsUrl = (network: string, namespace?: string) =>
  `${NETWORKS_URL}/${network}/namespaces${namespace === undefined ? "" : `/${namespace}`}`;
export const itemUrl = (network: string, namespace: string, group: string, item: string) =>
  `${nsUrl(network, namespace)}/groups/${group}/items/${item}`;

export const namespaceBody = (namespace: string, extra: Record<string, unknown> = {}) => ({
  namespace,
  retentionInSeconds: 0,
  groupId: 0,
  ...extra,
});

export async function createNamespace(
  h: Harness,
  network: Network,
  namespace: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const response = await h.signed({
    method: "POST",
    url: nsUrl(network),
    body: JSON.stringify(namespaceBody(namespace, extra)),
  });
  expect(response.statusCode, response.body).toBe(200);
}

export async function putItem(
  h: Harness,
  input: {
    network?: Network;
    namespace?: string;
    group: string;
    item: string;
    value: string | Buffer;
    type?: string;
  },
) {
  return h.signed({
    method: "PUT",
    url: itemUrl(input.network ?? "production", input.namespace ?? "default", input.group, input.item),
    body: input.value,
    headers: { "content-type": input.type ?? "text/plain" },
  });
}

export const cpcodeOf = async (h: Harness, accountId = "default"): Promise<string> =>
  (await h.store.accounts.get(accountId))?.cpcode ?? "";
