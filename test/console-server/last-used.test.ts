import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness } from "../support/harness.ts";

describeEachDialect("an API client's last use", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const lastUsed = async () => {
    // The write does not delay the answer: wait for it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return (await h.store.clients.lastUsed()).get(h.credentials.clientToken);
  };

  it("is written on a signed request, then at most once a minute", async () => {
    expect(await lastUsed()).toBeUndefined();
    const first = h.clock.now();
    expect((await h.signed({ method: "GET", url: "/edgekv/v1/tokens" })).statusCode).toBe(200);
    expect(await lastUsed()).toEqual(first);
    h.clock.advance(59_000);
    await h.signed({ method: "GET", url: "/edgekv/v1/tokens" });
    expect(await lastUsed()).toEqual(first);
    h.clock.advance(1_000);
    await h.signed({ method: "GET", url: "/edgekv/v1/tokens" });
    expect(await lastUsed()).toEqual(h.clock.now());
  });

  it("is not written for a request whose signature fails", async () => {
    const response = await h.signed({
      method: "GET",
      url: "/edgekv/v1/tokens",
      credentials: { ...h.credentials, clientSecret: Buffer.alloc(32).toString("base64") },
    });
    expect(response.statusCode).toBe(401);
    expect(await lastUsed()).toBeUndefined();
  });
});
