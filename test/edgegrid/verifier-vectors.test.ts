import { describe, expect, it } from "vitest";
import { createVerifier, parseTimestamp } from "../../src/edgegrid/index.ts";
import { VECTORS, vectorBody } from "./vectors.ts";
import { depsFor } from "./verifier-harness.ts";

// The vectors are from 2014/2016, so the skew check is off (maxSkewSeconds: null).
describe("the verifier accepts every official vector", () => {
  it.each(VECTORS.map((vector) => [vector.id, vector] as const))("%s", async (_id, vector) => {
    expect(vector.server_applicable).toBe(true);
    const client = {
      name: vector.id,
      clientSecret: vector.credentials.client_secret,
      accessToken: vector.credentials.access_token,
      enabled: true,
    };
    const { deps, nonceCalls } = depsFor({
      clients: { [vector.credentials.client_token]: client },
      now: () => new Date(Date.UTC(2030, 0, 1)),
      maxSkewSeconds: null,
      headersToSign: vector.headers_to_sign,
      maxBody: vector.max_body,
    });
    const body = vectorBody(vector.request.body);
    const verified = await createVerifier(deps).verify({
      authorization: vector.expected.authorization,
      method: vector.request.method,
      host: vector.request.host,
      target: vector.request.target,
      headers: vector.request.headers,
      ...(body === undefined ? {} : { body }),
    });
    expect(verified.client).toBe(client);
    expect(verified.clientToken).toBe(vector.credentials.client_token);
    expect(verified.nonce).toBe(vector.nonce);
    expect(verified.timestamp).toEqual(parseTimestamp(vector.timestamp));
    expect(nonceCalls).toHaveLength(1);
  });
});
