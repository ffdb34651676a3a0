import { z } from "zod";
import { defineRoute, json, PUBLIC } from "../http/route.ts";
import type { Keyring } from "./keyring.ts";

const jwks = z.object({
  keys: z.array(
    z
      .record(z.string(), z.string())
      .meta({ description: "A public ES256 key (JWK: kty, crv, x, y, kid, alg, use)." }),
  ),
});

/** `GET /.well-known/jwks.json`: the public keys of every token signing key still in use. */
export const jwksRoute = ({ keyring }: { keyring: Keyring }) =>
  defineRoute({
    operationId: "jwks",
    method: "GET",
    path: "/.well-known/jwks.json",
    summary: "Token signing keys (JWKS)",
    description: "Verify token JWTs offline: every key that can still have valid tokens.",
    tags: ["Access tokens"],
    auth: PUBLIC,
    responses: { 200: json(jwks, "The keys, newest first.") },
    errors: [],
    handler: async () => ({ status: 200, body: keyring.jwks() }),
  });
