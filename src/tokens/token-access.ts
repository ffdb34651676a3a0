import { requireCapability } from "../accounts/capabilities.ts";
import type { ApiClient, Capability } from "../accounts/model.ts";

type Action = "view" | "create" | "revoke";

const CAPABILITY: Record<Action, { all: Capability; staging: Capability }> = {
  view: { all: "VIEW_TOKEN", staging: "VIEW_STAGING_TOKEN" },
  create: { all: "CREATE_TOKEN", staging: "CREATE_STAGING_TOKEN" },
  revoke: { all: "REVOKE_TOKEN", staging: "REVOKE_STAGING_TOKEN" },
};

/** Whether the client may act on a token; the `*_STAGING_TOKEN` capabilities cover staging-only tokens. */
export function mayActOn(client: ApiClient, action: Action, token: { allowOnProduction: boolean }): boolean {
  const { all, staging } = CAPABILITY[action];
  return (
    client.capabilities.includes(all) || (!token.allowOnProduction && client.capabilities.includes(staging))
  );
}

/** 403 EKV_1000 unless the client may act on this token. */
export function requireTokenAccess(
  client: ApiClient,
  action: Action,
  token: { allowOnProduction: boolean },
): void {
  const { all, staging } = CAPABILITY[action];
  if (mayActOn(client, action, token)) return;
  if (token.allowOnProduction) requireCapability(client, all);
  requireCapability(client, all, staging);
}
