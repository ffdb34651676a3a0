/** What a token may do in a namespace: read, write, delete. */
export type Permission = "r" | "w" | "d";
export const PERMISSIONS: readonly Permission[] = ["r", "w", "d"];

/** A token names between 1 and this many namespaces. */
export const MAX_NAMESPACES_PER_TOKEN = 20;

export const isPermission = (value: unknown): value is Permission =>
  (PERMISSIONS as readonly unknown[]).includes(value);

/** 1 to 3 letters of r, w, d, each at most once. */
export const isPermissionSet = (letters: readonly unknown[]): boolean =>
  letters.length >= 1 &&
  letters.length <= PERMISSIONS.length &&
  letters.every(isPermission) &&
  new Set(letters).size === letters.length;
