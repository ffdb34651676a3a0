import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { createVerifier, signRequest } from "../../src/edgegrid/index.ts";

// Akamai's own Node signer (the npm package akamai-edgegrid) against our signer and verifier.
// The package's `exports` only opens its main entry, so the helper is required by file path.
const require = createRequire(import.meta.url);
const npmAuth = require(join(dirname(require.resolve("akamai-edgegrid")), "src", "auth.js")) as {
  generateAuth(
    request: Record<string, unknown>,
    clientToken: string,
    clientSecret: string,
    accessToken: string,
    host: string,
    maxBody: number,
    guid: string,
    timestamp: string,
  ): { headers: { Authorization: string } };
};

const credentials = {
  clientToken: "akab-aaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb",
  clientSecret: "Ym9keS1ib2R5LWJvZHktYm9keS1ib2R5LWJvZHktYm8=",
  accessToken: "akab-cccccccccccccccc-dddddddddddddddd",
};
const timestamp = "20261128T12:00:00+0000";

const cases = [
  { method: "GET", path: "/edgekv/v1/tokens?includeExpired=true", body: undefined },
  { method: "GET", path: "/edgekv/v1/tokens/my_token", body: undefined },
  {
    method: "POST",
    path: "/edgekv/v1/tokens",
    body: '{"name":"my_token","allowOnStaging":"true","namespacePermissions":{"default":["r","w","d"]}}',
  },
  { method: "POST", path: "/edgekv/v1/tokens/my_token/refresh", body: undefined },
  { method: "DELETE", path: "/edgekv/v1/tokens/my_token", body: undefined },
];

describe("akamai-edgegrid (npm) and this project agree", () => {
  it.each(cases)("$method $path", async ({ method, path, body }) => {
    const host = "127.0.0.1:8443";
    const nonce = "7f1a2b3c-0000-4000-8000-000000000001";
    const theirs = npmAuth.generateAuth(
      { method, path, headers: {}, ...(body === undefined ? {} : { body, data: body }) },
      credentials.clientToken,
      credentials.clientSecret,
      credentials.accessToken,
      `https://${host}`,
      131072,
      nonce,
      timestamp,
    ).headers.Authorization;
    const bodyBytes = body === undefined ? undefined : Buffer.from(body);
    const ours = signRequest({
      credentials,
      method,
      host,
      target: path,
      ...(bodyBytes === undefined ? {} : { body: bodyBytes }),
      timestamp,
      nonce,
    });
    expect(ours).toBe(theirs);

    const verifier = createVerifier({
      lookupClient: async () => ({ ...credentials, enabled: true }),
      rememberNonce: async () => true,
      now: () => new Date("2026-11-28T12:00:10Z"),
      maxSkewSeconds: 30,
    });
    await expect(
      verifier.verify({
        authorization: theirs,
        method,
        host,
        target: path,
        headers: [],
        ...(bodyBytes === undefined ? {} : { body: bodyBytes }),
      }),
    ).resolves.toMatchObject({ nonce });
  });
});
