import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_BODY, parseAuthorization, signRequest } from "../../src/edgegrid/index.ts";
import { credentialsOf, VECTORS, vectorBody } from "./vectors.ts";

describe("signRequest reproduces the official headers", () => {
  it.each(VECTORS.map((vector) => [vector.id, vector] as const))("%s", (_id, vector) => {
    const body = vectorBody(vector.request.body);
    const header = signRequest({
      credentials: credentialsOf(vector),
      method: vector.request.method,
      host: vector.request.host,
      target: vector.request.target,
      headers: vector.request.headers,
      ...(body === undefined ? {} : { body }),
      headersToSign: vector.headers_to_sign,
      maxBody: vector.max_body,
      timestamp: vector.timestamp,
      nonce: vector.nonce,
    });
    expect(header).toBe(vector.expected.authorization);
  });
});

describe("signRequest defaults", () => {
  const credentials = { clientToken: "akab-c", clientSecret: "secret", accessToken: "akab-a" };
  const request = { credentials, method: "GET", host: "h.example", target: "/" };

  it("takes the timestamp from now and the nonce from randomNonce when injected", () => {
    const header = signRequest({
      ...request,
      now: new Date(Date.UTC(2024, 4, 6, 7, 8, 9)),
      randomNonce: () => "injected-nonce",
    });
    expect(parseAuthorization(header)).toMatchObject({
      timestamp: "20240506T07:08:09+0000",
      nonce: "injected-nonce",
    });
  });

  it("prefers explicit timestamp and nonce over the injected sources", () => {
    const header = signRequest({
      ...request,
      timestamp: "20200101T00:00:00+0000",
      nonce: "explicit",
      now: new Date(Date.UTC(2024, 4, 6)),
      randomNonce: () => "injected",
    });
    expect(parseAuthorization(header)).toMatchObject({
      timestamp: "20200101T00:00:00+0000",
      nonce: "explicit",
    });
  });

  it("falls back to the system clock and a random UUID", () => {
    const before = Date.now();
    const parsed = parseAuthorization(signRequest(request));
    expect(parsed?.nonce).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const stamp = parsed?.timestamp ?? "";
    expect(stamp).toMatch(/^\d{8}T\d{2}:\d{2}:\d{2}\+0000$/);
    expect(parseAuthorization(signRequest(request))?.nonce).not.toBe(parsed?.nonce);
    expect(
      Math.abs(before - Date.parse(stamp.replace(/^(\d{4})(\d{2})(\d{2})T(.*)\+0000$/, "$1-$2-$3T$4Z"))),
    ).toBeLessThan(5000);
  });

  it("hashes at most DEFAULT_MAX_BODY bytes of a POST body by default", () => {
    expect(DEFAULT_MAX_BODY).toBe(131072);
    const fixed = { ...request, method: "POST", timestamp: "20200101T00:00:00+0000", nonce: "n" };
    const long = Buffer.alloc(DEFAULT_MAX_BODY + 1, 0x61);
    const changedAfter = Buffer.from(long);
    changedAfter[DEFAULT_MAX_BODY] = 0x62;
    const changedWithin = Buffer.from(long);
    changedWithin[DEFAULT_MAX_BODY - 1] = 0x62;
    expect(signRequest({ ...fixed, body: changedAfter })).toBe(signRequest({ ...fixed, body: long }));
    expect(signRequest({ ...fixed, body: changedWithin })).not.toBe(signRequest({ ...fixed, body: long }));
  });
});
