export type Network = "staging" | "production";
export const NETWORKS: readonly Network[] = ["staging", "production"];

export interface Namespace {
  readonly accountId: string;
  readonly network: Network;
  readonly name: string;
  readonly retentionInSeconds: number;
  readonly geoLocation: string;
  readonly groupId: number;
  readonly restrictDataAccess: boolean;
  readonly createdAt: Date;
}

/** Items are per account, network, namespace, group and key. */
export interface ItemAddress {
  readonly accountId: string;
  readonly network: Network;
  readonly namespace: string;
  readonly group: string;
  readonly key: string;
}

/** The two kinds of value EdgeKV stores; a read answers with the one the value was written with. */
export const ITEM_CONTENT_TYPES = ["application/json", "text/plain; charset=utf-8"] as const;
export type ItemContentType = (typeof ITEM_CONTENT_TYPES)[number];

export const isItemContentType = (value: string): value is ItemContentType =>
  (ITEM_CONTENT_TYPES as readonly string[]).includes(value);

export interface KvItem extends ItemAddress {
  /** The value's bytes exactly as they were written. */
  readonly value: Buffer;
  readonly contentType: ItemContentType;
  readonly updatedAt: Date;
  /** The first instant the item is no longer returned; null keeps it until deleted. */
  readonly expiresAt: Date | null;
}
