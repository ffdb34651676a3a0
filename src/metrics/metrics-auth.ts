import { createHash, timingSafeEqual } from "node:crypto";
import { ApiError } from "../errors.ts";
import { headerCount } from "../http/raw-headers.ts";
import type { AuthScheme, IncomingRequest } from "../http/route.ts";

const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();

const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="metrics"' };

const refuse = (detail: string) => new ApiError("auth_missing", detail, CHALLENGE);

function presentedToken(request: IncomingRequest): string {
  const count = headerCount(request.rawHeaders, "authorization");
  if (count > 1) throw refuse(`The request has ${count} Authorization headers; send one.`);
  const header = request.headers.authorization;
  const match = typeof header === "string" ? /^Bearer +(.+)$/i.exec(header) : null;
  if (match?.[1] === undefined) throw refuse("Send the metrics token: `Authorization: Bearer <token>`.");
  return match[1];
}

/**
 * Who may read `/metrics`: anyone when `token` is undefined; otherwise only a request with
 * `Authorization: Bearer <token>`, anything else is 401. The scheme and the API document are the
 * same either way, so the document does not depend on how the server was started.
 */
export function metricsAuth(token: string | undefined): AuthScheme<null> {
  const expected = token === undefined ? undefined : digest(token);
  return {
    name: "metrics token",
    securitySchemes: {
      MetricsToken: {
        type: "http",
        scheme: "bearer",
        description:
          "Required only by a server started with `--metrics-token` (`EDGEKV_METRICS_TOKEN`); without it `/metrics` is open.",
      },
    },
    // The empty requirement: no credential at all, when the server has no metrics token.
    security: [{ MetricsToken: [] }, {}],
    beforeRouting: false,
    errors: ["auth_missing"],
    needsBody: false,
    async authenticate(request) {
      if (expected === undefined) return null;
      // Digests are compared, not the tokens: both have one length, so not even the token's leaks.
      if (!timingSafeEqual(digest(presentedToken(request)), expected)) {
        throw refuse("The metrics token is not the server's.");
      }
      return null;
    },
  };
}
