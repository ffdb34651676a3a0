import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { problem } from "../support/problem.ts";

describeEachDialect("verify route", () => {
  let h: Harness;
  let reference: string;
  beforeEach(async () => {
    h = await createHarness({ settings: { activationDelaySeconds: 0 } });
    const created = await h.signed({
      method: "POST",
      url: "/edgekv/v1/tokens",
      body: JSON.stringify({
        name: "t",
        allowOnStaging: true,
        allowOnProduction: false,
        namespacePermissions: { default: ["r"] },
      }),
    });
    reference = created.json().uuid;
  });
  afterEach(async () => {
    await h.close();
  });

  const verify = (body: unknown) =>
    h.signed({
      method: "POST",
      url: "/_edgekv/v1/tokens/verify",
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  describe("POST /_edgekv/v1/tokens/verify", () => {
    it("says what a valid reference grants, and whether it allows an operation", async () => {
      const response = await verify({
        reference,
        network: "staging",
        namespace: "default",
        operation: "GET",
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        valid: true,
        credential: "current",
        token: { name: "t", kind: "enhanced", namespacePermissions: { default: ["r"] } },
        access: { allowed: true },
      });
      const write = await verify({ reference, network: "staging", namespace: "default", operation: "write" });
      expect(write.json().access).toEqual({
        allowed: false,
        reason: 'Token t lacks the "w" permission on namespace default.',
      });
    });

    it("reports an unknown reference as not valid", async () => {
      const response = await verify({ reference: "0b7c2c59-6f2f-4a56-9e0e-a7d2d1a2b4c5" });
      expect(response.json()).toEqual({ valid: false, reason: "unknown-token", token: null });
    });

    it.each([
      ["an array", [1], /^Send \{"token": "<JWT>"\} or \{"reference": "<uuid>"\}/],
      ["neither token nor reference", {}, /^Send exactly one of "token"/],
      ["both token and reference", { token: "a.b.c", reference: "x" }, /^Send exactly one of "token"/],
      ["a numeric reference", { reference: 5 }, /^"token" and "reference" must be strings\.$/],
      [
        "an unknown network",
        { reference: "x", network: "moon", namespace: "default", operation: "read" },
        /give "network"/,
      ],
      ["no network", { reference: "x", namespace: "default", operation: "read" }, /give "network"/],
      ["no namespace", { reference: "x", network: "staging", operation: "read" }, /give "namespace"/],
      [
        "an empty namespace",
        { reference: "x", network: "staging", namespace: "", operation: "read" },
        /give "namespace"/,
      ],
      [
        "no operation",
        { reference: "x", network: "staging", namespace: "default" },
        /"operation" must be read/,
      ],
      [
        "an unknown operation",
        { reference: "x", network: "staging", namespace: "default", operation: "PATCH" },
        /"operation" must be read/,
      ],
      // A prototype key used to pass as an operation (`lacks the "undefined" permission`).
      [
        "the operation constructor",
        { reference: "x", network: "staging", namespace: "default", operation: "constructor" },
        /"operation" must be read/,
      ],
      [
        "the operation __proto__",
        { reference: "x", network: "staging", namespace: "default", operation: "__proto__" },
        /"operation" must be read/,
      ],
      [
        "a non-numeric EdgeWorker id",
        { reference: "x", network: "staging", namespace: "default", operation: "read", edgeWorkerId: "12a" },
        /"edgeWorkerId" must be a string of digits/,
      ],
    ])("answers %s with 400 EKV_2000", async (_case, body, detail) => {
      const response = await verify(body);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(problem(400, "EKV_2000", detail));
    });

    it("answers malformed JSON with 422 and a client without VIEW_TOKEN with 403", async () => {
      expect((await verify("{nope")).statusCode).toBe(422);
      const creator = await h.addClient({ capabilities: ["CREATE_TOKEN"] });
      const refused = await h.signed({
        method: "POST",
        url: "/_edgekv/v1/tokens/verify",
        body: JSON.stringify({ reference }),
        credentials: creator,
      });
      expect(refused.statusCode).toBe(403);
    });
  });
});
