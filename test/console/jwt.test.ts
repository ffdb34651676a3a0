import { describe, expect, it } from "vitest";
import { decodeJwt, legacyGrant } from "../../console/src/lib/jwt.ts";

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const jwt = (claims: unknown, header: unknown = { alg: "ES256", typ: "JWT", kid: "k1" }) =>
  `${part(header)}.${part(claims)}.c2lnbmF0dXJl`;

describe("decodeJwt", () => {
  it("reads the header and the claims, UTF-8 included", () => {
    const decoded = decodeJwt(jwt({ sub: "défaut", exp: 1 }));
    expect(decoded).toEqual({
      ok: true,
      header: { alg: "ES256", typ: "JWT", kid: "k1" },
      claims: { sub: "défaut", exp: 1 },
    });
  });

  it.each([
    ["two parts", "a.b", "three parts"],
    ["a header that is not base64url", "@@.e30.x", "header"],
    ["claims that are not JSON", `${part({})}.bm90IGpzb24.x`, "claims"],
    ["claims that are an array", `${part({})}.${part([1])}.x`, "claims"],
  ])("refuses %s", (_case, value, reason) => {
    const decoded = decodeJwt(value);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason).toContain(reason);
  });
});

describe("legacyGrant", () => {
  it("reads the claims the server and the official CLI write", () => {
    const grant = legacyGrant({
      "namespace-default": ["r", "w"],
      "namespace-sessions": ["r"],
      env: ["p", "s"],
      ewids: "42,43",
      cpc: "1234567",
      iat: 1_772_323_200,
      exp: 1_776_297_599,
    });
    expect(grant).toEqual({
      namespacePermissions: { default: ["r", "w"], sessions: ["r"] },
      allowOnStaging: true,
      allowOnProduction: true,
      edgeWorkerIds: ["42", "43"],
      issuedAt: 1_772_323_200_000,
      expiresAt: 1_776_297_599_000,
    });
  });

  it("reads ewids `all` as every EdgeWorker and a missing env as no network", () => {
    const grant = legacyGrant({ ewids: "all" });
    expect(grant.edgeWorkerIds).toBeNull();
    expect(grant.allowOnStaging || grant.allowOnProduction).toBe(false);
    expect(grant.expiresAt).toBeNull();
  });
});
