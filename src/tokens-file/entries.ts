/** What `edgekv.js` reads for one namespace: `reference` (enhanced token) or `value` (legacy JWT). */
export type TokenFileEntry =
  | { readonly name: string; readonly reference: string }
  | { readonly name: string; readonly value: string };

/** Keyed `namespace-<ns>`: the key `edgekv.js` looks up. */
export type TokenFileEntries = Readonly<Record<string, TokenFileEntry>>;

/** The parts of a token that go into `edgekv_tokens.js`: enhanced tokens by uuid, legacy ones by JWT. */
export interface TokenForFile {
  readonly name: string;
  readonly uuid: string;
  readonly kind: "enhanced" | "legacy";
  /** A legacy token's JWT. */
  readonly credential: string;
  readonly namespacePermissions: Readonly<Record<string, readonly string[]>>;
}

export const NAMESPACE_KEY_PREFIX = "namespace-";

export function namespaceKey(namespace: string): string {
  return NAMESPACE_KEY_PREFIX + namespace;
}

/** One entry per namespace of the token, in the token's namespace order. */
export function tokenFileEntries(token: TokenForFile): Record<string, TokenFileEntry> {
  const entry: TokenFileEntry =
    token.kind === "enhanced"
      ? { name: token.name, reference: token.uuid }
      : { name: token.name, value: token.credential };
  return Object.fromEntries(Object.keys(token.namespacePermissions).map((ns) => [namespaceKey(ns), entry]));
}

export function sameEntry(a: TokenFileEntry, b: TokenFileEntry): boolean {
  return a.name === b.name && entryCredential(a) === entryCredential(b) && isReference(a) === isReference(b);
}

export function isReference(
  entry: TokenFileEntry,
): entry is { readonly name: string; readonly reference: string } {
  return "reference" in entry;
}

export function entryCredential(entry: TokenFileEntry): string {
  return "reference" in entry ? entry.reference : entry.value;
}

/** Own entries only: a key such as `__proto__` must never reach `Object.prototype`. */
export function ownEntry(entries: TokenFileEntries, key: string): TokenFileEntry | undefined {
  return Object.hasOwn(entries, key) ? entries[key] : undefined;
}
