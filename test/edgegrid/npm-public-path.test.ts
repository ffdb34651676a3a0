import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EdgeGrid from "akamai-edgegrid";
import { afterAll, describe, expect, it } from "vitest";
import { createVerifier, parseAuthorization, upsertEdgercSection } from "../../src/edgegrid/index.ts";
import { depsFor } from "./verifier-harness.ts";

// Our .edgerc writer → Akamai's own reader and signer (public `EdgeGrid#auth`, random nonce, real
// clock) → our verifier with the production skew of 30 s.
const SECTION = "edgegrid-public-path-test";
const HOST = "127.0.0.1:8443";
const client = {
  name: "npm",
  clientSecret: "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=",
  accessToken: "akab-access-npm-0000000000000000",
  enabled: true,
};
const CLIENT_TOKEN = "akab-client-npm-0000000000000000";

const directory = mkdtempSync(join(tmpdir(), "edgegrid-npm-"));
const edgercPath = join(directory, "edgerc");
writeFileSync(
  edgercPath,
  upsertEdgercSection({
    text: "[default]\nhost = elsewhere.example\nclient_token = x\nclient_secret = y\naccess_token = z\n",
    section: SECTION,
    values: {
      host: HOST,
      client_token: CLIENT_TOKEN,
      client_secret: client.clientSecret,
      access_token: client.accessToken,
    },
  }),
);
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe("akamai-edgegrid's public auth() path", () => {
  it.each([
    { method: "GET", path: "/edgekv/v1/networks/staging/namespaces?withDetails=true", body: undefined },
    { method: "POST", path: "/edgekv/v1/tokens", body: { name: "t1", allowOnStaging: true } },
    { method: "POST", path: "/edgekv/v1/tokens/t1/refresh", body: "x".repeat(200_000) },
    { method: "PUT", path: "/edgekv/v1/networks/staging/namespaces/default/groups/g/items/k", body: "value" },
    { method: "DELETE", path: "/edgekv/v1/tokens/t1", body: undefined },
  ])("$method $path is accepted by our verifier", async ({ method, path, body }) => {
    const eg = new EdgeGrid({ path: edgercPath, section: SECTION });
    eg.auth({ method, path, ...(body === undefined ? {} : { body }) });
    const authorization = eg.request.headers.Authorization;
    expect(parseAuthorization(authorization)?.clientToken).toBe(CLIENT_TOKEN);

    const sent =
      body === undefined ? undefined : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
    const { deps, nonceCalls } = depsFor({
      clients: { [CLIENT_TOKEN]: client },
      now: () => new Date(),
      maxSkewSeconds: 30,
    });
    const verified = await createVerifier(deps).verify({
      authorization,
      method,
      host: HOST,
      target: path,
      headers: Object.entries(eg.request.headers),
      ...(sent === undefined ? {} : { body: sent }),
    });
    expect(verified.client).toBe(client);
    expect(nonceCalls).toHaveLength(1);
  });
});
