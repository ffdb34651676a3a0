import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness } from "../support/harness.ts";

describeEachDialect("the data plane", () => {
  let h: Harness;
  let reference: string;
  let jwt: string;
  const ITEM = "/api/v1/namespaces/default/groups/g/items/k";
  beforeEach(async () => {
    h = await createHarness({ settings: { activationDelaySeconds: 0 } });
    const grant = {
      allowOnStaging: true,
      allowOnProduction: true,
      namespacePermissions: { default: ["r", "w", "d"] },
    };
    const create = (body: object) =>
      h.signed({ method: "POST", url: "/edgekv/v1/tokens", body: JSON.stringify(body) });
    reference = (await create({ ...grant, name: "enhanced" })).json().uuid;
    jwt = (await create({ ...grant, name: "legacy", expiry: "2027-01-01" })).json().value;
  });
  afterEach(async () => {
    await h.close();
  });
  const edge = (method: "GET" | "PUT", headers: Record<string, string | string[]>, payload?: string) =>
    h.app.inject({ method, url: ITEM, headers, ...(payload === undefined ? {} : { payload }) });

  it("writes and reads with a reference or a JWT", async () => {
    expect((await edge("PUT", { "x-akamai-edgedb-auth-ref": reference }, "v")).statusCode).toBe(200);
    const read = await edge("GET", { "x-akamai-edgedb-auth": jwt });
    expect(read.statusCode).toBe(200);
    expect(read.body).toBe("v");
  });

  it.each([
    [
      "two references",
      { "x-akamai-edgedb-auth-ref": () => [reference, "0b7c2c59-6f2f-4a56-9e0e-a7d2d1a2b4c5"] },
      "X-Akamai-EdgeDB-Auth-Ref",
    ],
    ["two JWTs", { "x-akamai-edgedb-auth": () => [jwt, "a.b.c"] }, "X-Akamai-EdgeDB-Auth"],
    [
      "the same reference twice",
      { "x-akamai-edgedb-auth-ref": () => [reference, reference] },
      "X-Akamai-EdgeDB-Auth-Ref",
    ],
  ])("%s get 401: a proxy might pick the other one", async (_case, make, header) => {
    const headers = Object.fromEntries(Object.entries(make).map(([name, value]) => [name, value()]));
    const response = await edge("GET", headers);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({
      status: 401,
      detail: `The request has 2 ${header} headers; send one.`,
    });
  });
});
