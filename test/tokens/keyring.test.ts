import { decodeProtectedHeader } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { checkTokenJwt } from "../../src/tokens/token-jwt.ts";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness } from "../support/harness.ts";

describeEachDialect("keyring", () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const DAY = 86_400;
  const legacy = (name: string, expiry: string) =>
    h.signed({
      method: "POST",
      url: "/edgekv/v1/tokens",
      body: JSON.stringify({ name, allowOnStaging: true, expiry, namespacePermissions: { default: ["r"] } }),
    });
  const jwks = async () =>
    (await h.app.inject({ method: "GET", url: "/.well-known/jwks.json" }))
      .json()
      .keys.map((key: { kid: string }) => key.kid);
  const advance = (seconds: number) =>
    h.signed({ method: "POST", url: "/_edgekv/v1/clock", body: JSON.stringify({ advanceSeconds: seconds }) });

  describe("token signing keys", () => {
    it("rotate on schedule, once, and stay published while their tokens can be valid", async () => {
      h = await createHarness({ keyRotationDays: 30 });
      const first = (await legacy("old", "2027-05-30")).json().value as string;
      const firstKid = decodeProtectedHeader(first).kid;
      expect(await jwks()).toEqual([firstKid]);

      expect((await advance(29 * DAY)).json().rotatedKey).toBe(0);
      expect((await advance(1 * DAY + 1)).json().rotatedKey).toBe(1);
      expect(await h.services.keyring.rotateIfDue()).toBe(false);
      const second = (await legacy("new", "2027-01-30")).json().value as string;
      const secondKid = decodeProtectedHeader(second).kid;
      expect(secondKid).not.toBe(firstKid);
      expect(await jwks()).toEqual([secondKid, firstKid]);

      // The old token is still valid and still verifies against the published key.
      expect(await checkTokenJwt(h.services.keyring, first, h.clock.now())).toMatchObject({
        ok: true,
        kid: firstKid,
      });
      expect(await checkTokenJwt(h.services.keyring, second, h.clock.now())).toMatchObject({
        ok: true,
        kid: secondKid,
      });

      // Far past every token the first key signed, it is no longer published.
      h.clock.advance(400 * DAY * 1000);
      await h.services.keyring.rotateIfDue();
      expect(await jwks()).not.toContain(firstKid);
      expect(await checkTokenJwt(h.services.keyring, first, h.clock.now())).toEqual({
        ok: false,
        reason: "unknown-key",
      });
    });

    it("refuses tampered, foreign and expired JWTs", async () => {
      h = await createHarness();
      const value = (await legacy("t", "2026-12-01")).json().value as string;
      const [header, payload, signature] = value.split(".");
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload ?? "", "base64url").toString()), "namespace-default": ["r", "w", "d"] })).toString("base64url")}.${signature}`;
      expect(await checkTokenJwt(h.services.keyring, tampered, h.clock.now())).toEqual({
        ok: false,
        reason: "bad-signature",
      });
      expect(await checkTokenJwt(h.services.keyring, "not.a.jwt", h.clock.now())).toEqual({
        ok: false,
        reason: "malformed",
      });
      const other = await createHarness();
      const foreign = (
        await other.signed({
          method: "POST",
          url: "/edgekv/v1/tokens",
          body: JSON.stringify({
            name: "f",
            allowOnStaging: true,
            expiry: "2026-12-01",
            namespacePermissions: { default: ["r"] },
          }),
        })
      ).json().value as string;
      await other.close();
      expect(await checkTokenJwt(h.services.keyring, foreign, h.clock.now())).toEqual({
        ok: false,
        reason: "unknown-key",
      });
      h.clock.set(new Date("2026-12-02T00:00:00Z"));
      expect(await checkTokenJwt(h.services.keyring, value, h.clock.now())).toEqual({
        ok: false,
        reason: "expired",
      });
    });
  });
});
