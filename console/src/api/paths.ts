import type { Network } from "../lib/routes.ts";

const e = encodeURIComponent;

/** Console API paths (after `/_edgekv/console/api`): the admin API's, and the console's own. */
export const paths = {
  session: "/session",
  accounts: "/accounts",
  clients: "/clients",
  revokeClient: (clientToken: string) => `/clients/${e(clientToken)}/revoke`,
  events: "/events",
  initialize: "/edgekv/v1/initialize",
  tokens: "/edgekv/v1/tokens",
  token: (name: string) => `/edgekv/v1/tokens/${e(name)}`,
  refreshToken: (name: string) => `/edgekv/v1/tokens/${e(name)}/refresh`,
  tokensFile: (name: string) => `/_edgekv/v1/tokens/${e(name)}/edgekv_tokens.js`,
  verify: "/_edgekv/v1/tokens/verify",
  clock: "/_edgekv/v1/clock",
  audit: "/_edgekv/v1/audit",
  namespaces: (network: Network) => `/edgekv/v1/networks/${network}/namespaces`,
  namespace: (network: Network, namespace: string) =>
    `/edgekv/v1/networks/${network}/namespaces/${e(namespace)}`,
  groups: (network: Network, namespace: string) =>
    `/edgekv/v1/networks/${network}/namespaces/${e(namespace)}/groups`,
  group: (network: Network, namespace: string, group: string) =>
    `/edgekv/v1/networks/${network}/namespaces/${e(namespace)}/groups/${e(group)}`,
  item: (network: Network, namespace: string, group: string, item: string) =>
    `/edgekv/v1/networks/${network}/namespaces/${e(namespace)}/groups/${e(group)}/items/${e(item)}`,
} as const;
