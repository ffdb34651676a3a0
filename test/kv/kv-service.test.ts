import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Account } from "../../src/accounts/model.ts";
import { isApiError } from "../../src/errors.ts";
import { createNamespaceBody } from "../../src/kv/kv-schemas.ts";
import { createKvService, type KvScope, type KvService } from "../../src/kv/kv-service.ts";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { namespaceBody } from "./kv-test-support.ts";

describeEachDialect("kv service", () => {
  // The service without HTTP: what the data plane will call once a token has been checked.
  let h: Harness;
  let kv: KvService;
  let scope: KvScope;
  beforeEach(async () => {
    h = await createHarness();
    kv = createKvService({ store: h.store, clock: h.clock, settings: { namespaceDeleteDelaySeconds: 60 } });
    const account = (await h.store.accounts.get("default")) as Account;
    scope = { account, network: "production" };
  });
  afterEach(async () => {
    await h.close();
  });

  const ref = { namespace: "default", group: "g", key: "k" };

  async function codeOf(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      if (isApiError(error)) return error.code;
      throw error;
    }
    return "none";
  }

  describe("kv service", () => {
    it("stores a value written without a Content-Type (as edgekv.js sends it) as text", async () => {
      const receipt = await kv.writeItem(scope, ref, {
        body: Buffer.from('{"a":1}'),
        contentType: undefined,
      });
      expect(receipt).toEqual({ ...ref, cpcode: scope.account.cpcode });
      const item = await kv.readItem(scope, ref);
      expect(item.contentType).toBe("text/plain; charset=utf-8");
      expect(item.value.toString()).toBe('{"a":1}');
      expect(item.updatedAt).toEqual(h.clock.now());
      expect(item.expiresAt).toBeNull();
    });

    it("reports failures as ApiError codes a data plane can map to its own statuses", async () => {
      expect(await codeOf(kv.readItem(scope, ref))).toBe("kv_not_found");
      expect(await codeOf(kv.readItem(scope, { ...ref, namespace: "nope" }))).toBe("kv_namespace_missing");
      expect(
        await codeOf(
          kv.writeItem(scope, ref, { body: Buffer.alloc(262_145, 0x61), contentType: "text/plain" }),
        ),
      ).toBe("kv_value_too_large");
      const uninitialized = { ...scope, account: { ...scope.account, cpcode: null } };
      expect(await codeOf(kv.readItem(uninitialized, ref))).toBe("not_initialized");
    });

    it("clamps maxItems to 1..100", async () => {
      for (const key of ["a", "b"])
        await kv.writeItem(scope, { ...ref, key }, { body: Buffer.from("v"), contentType: "text/plain" });
      expect(await kv.listKeys(scope, "default", "g", { maxItems: 0 })).toEqual(["a"]);
      expect(await kv.listKeys(scope, "default", "g", { maxItems: 1000 })).toEqual(["a", "b"]);
    });

    it("runs due work: scheduled namespace deletions and purging of expired items", async () => {
      await kv.createNamespace(
        scope,
        createNamespaceBody.parse(namespaceBody("short", { retentionInSeconds: 86_400 })),
      );
      await kv.createNamespace(scope, createNamespaceBody.parse(namespaceBody("doomed")));
      await kv.writeItem(
        scope,
        { ...ref, namespace: "short" },
        { body: Buffer.from("v"), contentType: "text/plain" },
      );
      const deletion = await kv.deleteNamespace(scope, "doomed", { sync: false });
      expect(deletion).toEqual({
        kind: "scheduled",
        scheduledDeleteTime: new Date(h.clock.now().getTime() + 60_000),
      });
      expect(await kv.runDueWork()).toEqual({ deletedNamespaces: 0, purgedItems: 0 });
      h.clock.advance(86_400_000);
      expect(await kv.runDueWork()).toEqual({ deletedNamespaces: 1, purgedItems: 1 });
      expect(
        await h.store.namespaces.get({ accountId: "default", network: "production", name: "doomed" }),
      ).toBeNull();
    });

    it("honours a smaller namespace limit", async () => {
      const small = createKvService({ store: h.store, clock: h.clock, settings: { namespaceLimit: 2 } });
      await small.createNamespace(scope, createNamespaceBody.parse(namespaceBody("one")));
      expect(
        await codeOf(small.createNamespace(scope, createNamespaceBody.parse(namespaceBody("two")))),
      ).toBe("kv_limit");
    });
  });
});
