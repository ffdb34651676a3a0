import { DEFAULT_NAMESPACE } from "../kv/initialize.ts";
import { MAX_VALUE_CHARACTERS } from "../kv/item-value.ts";
import { parseExpiryDate } from "../tokens/dates.ts";
import { formatPath } from "./issues.ts";
import type { SeedDocument, SeedItem } from "./seed-schema.ts";

/** A problem at a place in the seed: `accounts[0].namespaces[1].name: …`. */
export const problemAt = (path: readonly PropertyKey[], message: string): string =>
  `${formatPath(path)}: ${message}`;

/** Reports the first time a key comes back, naming where it came first. */
function firstRepeat<T>(
  entries: ReadonlyArray<{ key: string; path: readonly PropertyKey[]; value: T }>,
  what: (key: string) => string,
): string | null {
  const seen = new Map<string, readonly PropertyKey[]>();
  for (const { key, path } of entries) {
    const first = seen.get(key);
    if (first !== undefined)
      return problemAt(path, `${what(key)} is listed twice (also ${formatPath(first)})`);
    seen.set(key, path);
  }
  return null;
}

/** The bytes an item's value is stored as, and their content type. */
export function itemValue(item: SeedItem): {
  value: Buffer;
  contentType: "application/json" | "text/plain; charset=utf-8";
} {
  return item.text === undefined
    ? { value: Buffer.from(JSON.stringify(item.json), "utf8"), contentType: "application/json" }
    : { value: Buffer.from(item.text, "utf8"), contentType: "text/plain; charset=utf-8" };
}

/**
 * What the seed must get right on its own, before the database is read: nothing twice, namespaces
 * as EdgeKV allows them, items on their namespace's networks and within EdgeKV's size, real dates.
 * Returns the first problem, or null.
 */
export function checkSeedRules(seed: SeedDocument): string | null {
  const accounts = seed.accounts.map((account, index) => ({
    key: account.id,
    path: ["accounts", index, "id"],
    value: account,
  }));
  const clients = seed.accounts.flatMap((account, a) =>
    account.clients.map((client, c) => ({
      key: client.clientToken,
      path: ["accounts", a, "clients", c, "clientToken"],
      value: client,
    })),
  );
  const repeated =
    firstRepeat(accounts, (id) => `account ${id}`) ?? firstRepeat(clients, (token) => `API client ${token}`);
  if (repeated !== null) return repeated;
  for (const [a, account] of seed.accounts.entries()) {
    const here = ["accounts", a];
    const names = account.namespaces.map((namespace, n) => ({
      key: namespace.name,
      path: [...here, "namespaces", n, "name"],
      value: namespace,
    }));
    const tokens = account.tokens.map((token, t) => ({
      key: token.name,
      path: [...here, "tokens", t, "name"],
      value: token,
    }));
    const repeat =
      firstRepeat(names, (name) => `namespace ${name}`) ?? firstRepeat(tokens, (name) => `token ${name}`);
    if (repeat !== null) return repeat;
    for (const [n, namespace] of account.namespaces.entries()) {
      const at = [...here, "namespaces", n];
      if (
        namespace.geoLocation !== undefined &&
        namespace.geoLocation !== "US" &&
        namespace.networks.includes("staging")
      ) {
        return problemAt([...at, "geoLocation"], "the staging network only supports US");
      }
      if (namespace.name === DEFAULT_NAMESPACE && (namespace.retentionInSeconds ?? 0) !== 0) {
        return problemAt(
          [...at, "retentionInSeconds"],
          "the default namespace keeps its items until they are deleted (0)",
        );
      }
      const items = namespace.items.flatMap((item, i) =>
        (item.networks ?? namespace.networks).map((network) => ({
          key: `${network}/${item.group}/${item.key}`,
          path: [...at, "items", i],
          value: item,
        })),
      );
      const repeatedItem = firstRepeat(items, (key) => `item ${key}`);
      if (repeatedItem !== null) return repeatedItem;
      for (const [i, item] of namespace.items.entries()) {
        const missing = (item.networks ?? []).find((network) => !namespace.networks.includes(network));
        if (missing !== undefined) {
          return problemAt([...at, "items", i, "networks"], `the namespace is not on the ${missing} network`);
        }
        if (itemValue(item).value.toString("utf8").length > MAX_VALUE_CHARACTERS) {
          return problemAt([...at, "items", i], `a value cannot exceed ${MAX_VALUE_CHARACTERS} characters`);
        }
      }
    }
    for (const [t, token] of account.tokens.entries()) {
      if (token.expiry !== undefined && parseExpiryDate(token.expiry) === null) {
        return problemAt([...here, "tokens", t, "expiry"], "is not a calendar date");
      }
    }
  }
  return null;
}
