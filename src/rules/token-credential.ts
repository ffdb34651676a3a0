/**
 * The shapes of what an EdgeWorker presents for a token: the server reports a reference of another
 * shape as malformed, and the command line refuses either before sending.
 */

/** A token reference: the token's uuid, in either case. */
export const isTokenUuid = (text: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);

/** A compact JWS: three base64url parts joined by dots. Only the shape; the server verifies the rest. */
export const hasJwtShape = (text: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(text);
