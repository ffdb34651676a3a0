import type { Network } from "../lib/routes.ts";

export interface AccountInfo {
  readonly id: string;
  readonly cpcode: string | null;
  readonly initialized: boolean;
}

/** `GET /_edgekv/console/api/session`. */
export interface Session {
  readonly account: string;
  readonly clientToken: string;
  readonly version: string;
  readonly clock: "manual" | "system";
  readonly now: string;
  readonly accounts: readonly AccountInfo[];
}

export interface Initialization {
  readonly accountStatus: "INITIALIZED" | "UNINITIALIZED";
  readonly cpcode: string | null;
  readonly productionStatus: string;
  readonly stagingStatus: string;
  readonly dataAccessPolicy?: {
    readonly restrictDataAccess: boolean;
    readonly allowNamespacePolicyOverride: boolean;
  };
}

export interface Namespace {
  readonly namespace: string;
  readonly retentionInSeconds: number;
  readonly geoLocation: string;
  readonly groupId: number;
  readonly dataAccessPolicy: { readonly restrictDataAccess: boolean; readonly policyType: string };
}

export interface ApiClient {
  readonly clientToken: string;
  readonly accessToken: string;
  readonly account: string;
  readonly capabilities: readonly string[];
  readonly canSwitchAccounts: boolean;
  readonly enabled: boolean;
  readonly description: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

export interface CreatedClient {
  readonly client: ApiClient;
  readonly clientSecret: string;
  readonly edgerc: string;
}

export interface AuditEvent {
  readonly id: number;
  readonly at: string;
  readonly action: string;
  readonly target: string;
  readonly status: number | null;
  readonly outcome: "ok" | "refused" | "failed";
  readonly accountId: string | null;
  readonly clientToken: string | null;
  readonly tokenUuid: string | null;
  readonly traceId: string | null;
  readonly errorCode: string | null;
  /** `console`, `api` or `cli`, where the server records it. */
  readonly via?: string;
}

export interface VerifyAnswer {
  readonly valid: boolean;
  readonly credential?: "current" | "previous";
  readonly reason?: string;
  readonly token: {
    readonly name: string;
    readonly uuid: string;
    readonly kind: "enhanced" | "legacy";
    readonly tokenActivationStatus: string;
    readonly expiry: string;
  } | null;
  readonly access?: { readonly allowed: boolean; readonly reason?: string };
}

export const NETWORK_LABELS: Record<Network, string> = { staging: "Staging", production: "Production" };
