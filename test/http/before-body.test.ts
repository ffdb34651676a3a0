import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { formatTimestamp, signRequest } from "../../src/edgegrid/index.ts";
import { createHarness, type Harness, TEST_HOST } from "../support/harness.ts";
import { firstResponse } from "../support/raw-http.ts";

// The issue sent 200 unauthenticated ~1 MiB POSTs and watched the server's memory double: bodies
// were buffered before anyone checked who sent them. A request nobody could have signed is now
// answered from its headers alone; these send the headers of a 1 MiB body and never the body.
describe("a request refused before its body is read", () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  async function listening() {
    h = await createHarness({ settings: { activationDelaySeconds: 0 } });
    await h.app.listen({ host: "127.0.0.1", port: 0 });
    return (h.app.server.address() as AddressInfo).port;
  }
  const head = (method: string, target: string, headers: Record<string, string>) =>
    `${method} ${target} HTTP/1.1\r\nHost: ${TEST_HOST}\r\nContent-Length: 1048576\r\nContent-Type: application/json\r\n${Object.entries(
      headers,
    )
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("")}\r\n`;
  const sign = (
    changes: { at?: Date; clientToken?: string; accessToken?: string; clientSecret?: string } = {},
  ) =>
    signRequest({
      credentials: { ...h.credentials, ...changes },
      method: "POST",
      host: TEST_HOST,
      target: "/edgekv/v1/tokens",
      body: Buffer.alloc(1_048_576, 0x20),
      timestamp: formatTimestamp(changes.at ?? h.clock.now()),
      nonce: `n-${Math.random()}`,
    });

  it.each([
    ["no Authorization", 401, () => ({}), "Missing or malformed Authorization header"],
    [
      "a malformed Authorization",
      401,
      () => ({ Authorization: "EG1-HMAC-SHA256 nonsense" }),
      "Missing or malformed Authorization header",
    ],
    [
      "an unknown client token",
      400,
      () => ({ Authorization: sign({ clientToken: "akab-nobody-nobody" }) }),
      "Invalid client token",
    ],
    [
      "a timestamp out of skew",
      400,
      () => ({ Authorization: sign({ at: new Date(h.clock.now().getTime() - 600_000) }) }),
      "Invalid timestamp",
    ],
    [
      "a wrong access token",
      401,
      () => ({ Authorization: sign({ accessToken: "akab-wrong-wrong" }) }),
      "Invalid access token",
    ],
  ])("%s is answered at once with %i", async (_case, status, headers, detail) => {
    const port = await listening();
    const response = await firstResponse(port, head("POST", "/edgekv/v1/tokens", headers()), 3_000);
    expect(response.status).toBe(status);
    expect(JSON.parse(response.body)).toMatchObject({ status, detail });
    expect(response.headers["x-trace-id"]).toMatch(/^[0-9a-f]{16}$/);
  });

  it("a disabled client is answered at once with 401", async () => {
    const port = await listening();
    await h.store.clients.setEnabled(h.credentials.clientToken, false);
    const response = await firstResponse(
      port,
      head("POST", "/edgekv/v1/tokens", { Authorization: sign() }),
      3_000,
    );
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toMatchObject({ detail: "Inactive client token" });
  });

  it("an unknown path below /edgekv/v1 and a data-plane write with a bad token are answered at once too", async () => {
    const port = await listening();
    const unknown = await firstResponse(port, head("POST", "/edgekv/v1/nowhere", {}), 3_000);
    expect(unknown.status).toBe(401);
    const edge = await firstResponse(
      port,
      head("PUT", "/api/v1/namespaces/default/groups/g/items/k", {
        "X-Akamai-EdgeDB-Auth-Ref": "0b7c2c59-6f2f-4a56-9e0e-a7d2d1a2b4c5",
      }),
      3_000,
    );
    expect(edge.status).toBe(401);
  });

  it("a correctly signed request still waits for its body: the signature covers it", async () => {
    const port = await listening();
    await expect(
      firstResponse(port, head("POST", "/edgekv/v1/tokens", { Authorization: sign() }), 500),
    ).rejects.toThrow(/no complete response/);
  });
});
