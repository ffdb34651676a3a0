import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { cpcodeOf, createNamespace, itemUrl, nsUrl, problem, putItem } from "./kv-test-support.ts";

describeEachDialect("item routes", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const get = (url: string) => h.signed({ method: "GET", url });
  const del = (url: string) => h.signed({ method: "DELETE", url });
  const groupsUrl = (network = "production", namespace = "default") => `${nsUrl(network, namespace)}/groups`;
  const groupUrl = (group: string, network = "production", namespace = "default") =>
    `${groupsUrl(network, namespace)}/${group}`;
  const url = (group: string, item: string, network = "production", namespace = "default") =>
    itemUrl(network, namespace, group, item);

  const DAY_MS = 86_400_000;

  describe("PUT and GET .../groups/{group}/items/{item}", () => {
    it("upserts a JSON value and reads back its exact bytes as application/json", async () => {
      const value = '{ "b": [1, 2.50, "\\u00e9"],\n  "a": null }';
      const response = await putItem(h, { group: "countries", item: "DE", value, type: "application/json" });
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(response.body).toBe(
        `Item was upserted in KV store with database ${await cpcodeOf(h)}, namespace default, group countries, and key DE.`,
      );
      const read = await get(url("countries", "DE"));
      expect(read.statusCode).toBe(200);
      expect(read.headers["content-type"]).toBe("application/json");
      expect(read.body).toBe(value);
    });

    it("keeps JSON written with a charset parameter as JSON", async () => {
      await putItem(h, { group: "g", item: "k", value: "[1]", type: "application/json; charset=utf-8" });
      expect((await get(url("g", "k"))).headers["content-type"]).toBe("application/json");
    });

    it.each([
      ["text/plain", "text/plain"],
      ["text/plain; charset=utf-8", "text/plain; charset=utf-8"],
      ["another media type", "application/octet-stream"],
    ])("stores a %s value as UTF-8 text, byte for byte", async (_label, type) => {
      const value = Buffer.from("Grüße, 世界 😀\r\n\u00a0\ufeff{not json", "utf8");
      expect((await putItem(h, { group: "g", item: "k", value, type })).statusCode).toBe(200);
      const read = await get(url("g", "k"));
      expect(read.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(read.rawPayload.equals(value)).toBe(true);
    });

    it("replaces a value, including its type", async () => {
      await putItem(h, { group: "g", item: "k", value: '{"v":1}', type: "application/json" });
      await putItem(h, { group: "g", item: "k", value: "now text" });
      const read = await get(url("g", "k"));
      expect(read.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(read.body).toBe("now text");
    });

    it("stores an empty text value", async () => {
      expect((await putItem(h, { group: "g", item: "k", value: "" })).statusCode).toBe(200);
      const read = await get(url("g", "k"));
      expect(read.statusCode).toBe(200);
      expect(read.body).toBe("");
    });

    it("keeps items per network and namespace", async () => {
      await createNamespace(h, "production", "other");
      await putItem(h, { group: "g", item: "k", value: "production default" });
      await putItem(h, { network: "staging", group: "g", item: "k", value: "staging default" });
      await putItem(h, { namespace: "other", group: "g", item: "k", value: "production other" });
      expect((await get(url("g", "k"))).body).toBe("production default");
      expect((await get(url("g", "k", "staging"))).body).toBe("staging default");
      expect((await get(url("g", "k", "production", "other"))).body).toBe("production other");
    });

    it("accepts and ignores sandboxId", async () => {
      const written = await h.signed({
        method: "PUT",
        url: `${url("g", "k")}?sandboxId=sbx-1`,
        body: "v",
        headers: { "content-type": "text/plain" },
      });
      expect(written.statusCode).toBe(200);
      expect((await get(`${url("g", "k")}?sandboxId=other`)).body).toBe("v");
      expect((await get(`${groupUrl("g")}?sandboxId=other&maxItems=5`)).json()).toEqual(["k"]);
      expect((await del(`${url("g", "k")}?sandboxId=sbx-1`)).statusCode).toBe(200);
    });

    it("answers HEAD like GET without a body", async () => {
      await putItem(h, { group: "g", item: "k", value: "[true]", type: "application/json" });
      const response = await h.signed({ method: "HEAD", url: url("g", "k") });
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toBe("application/json");
      expect(response.body).toBe("");
    });

    it("takes names at their longest (group 128, item 512 characters)", async () => {
      const group = "g".repeat(128);
      const item = "k".repeat(512);
      expect((await putItem(h, { group, item, value: "long" })).statusCode).toBe(200);
      expect((await get(url(group, item))).body).toBe("long");
      expect((await get(groupUrl(group))).json()).toEqual([item]);
      expect((await get(groupsUrl())).json()).toEqual([group]);
    });

    it("accepts a value of exactly 262144 characters", async () => {
      const value = "a".repeat(262_144);
      expect((await putItem(h, { group: "g", item: "k", value })).statusCode).toBe(200);
      expect((await get(url("g", "k"))).body).toBe(value);
    });

    it.each([
      ["262145 ASCII characters", "a".repeat(262_145)],
      ["131073 emoji (262146 UTF-16 code units)", "😀".repeat(131_073)],
    ])("answers 413 EKV_9000 for %s", async (_label, value) => {
      const response = await putItem(h, { group: "g", item: "k", value });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toEqual(problem(413, "EKV_9000", "Value cannot exceed 262144 characters."));
      expect((await get(url("g", "k"))).statusCode).toBe(404);
    });

    it("counts characters in UTF-16 code units: 131072 emoji fit", async () => {
      const value = "😀".repeat(131_072);
      expect((await putItem(h, { group: "g", item: "k", value })).statusCode).toBe(200);
    });

    it.each([
      ["a syntax error", '{"a":'],
      ["two documents", "{} {}"],
      ["an empty body", ""],
      ["bare text", "hello"],
    ])("answers 400 EKV_9000 for application/json with %s", async (_label, value) => {
      const response = await putItem(h, { group: "g", item: "k", value, type: "application/json" });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(
        problem(
          400,
          "EKV_9000",
          "The value is not valid JSON. Send JSON with Content-Type application/json, or text as text/plain.",
        ),
      );
    });

    it("answers 400 EKV_9000 for a value that is not UTF-8", async () => {
      const response = await putItem(h, { group: "g", item: "k", value: Buffer.from([0x61, 0xff, 0x62]) });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(problem(400, "EKV_9000", "The value must be UTF-8 text."));
    });

    it("answers 404 EKV_9000 for an item that does not exist", async () => {
      await putItem(h, { group: "g", item: "k", value: "v" });
      for (const [group, item] of [
        ["g", "other"],
        ["other", "k"],
      ] as const) {
        const response = await get(url(group, item));
        expect(response.statusCode).toBe(404);
        expect(response.json()).toEqual(
          problem(404, "EKV_9000", `Item '${item}' or group '${group}' was not found in the database.`),
        );
      }
    });

    it("answers 400 EKV_9000 for a namespace that does not exist", async () => {
      for (const response of [
        await get(url("g", "k", "production", "nope")),
        await putItem(h, { namespace: "nope", group: "g", item: "k", value: "v" }),
        await del(url("g", "k", "production", "nope")),
        await get(groupsUrl("production", "nope")),
        await get(groupUrl("g", "production", "nope")),
      ]) {
        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual(problem(400, "EKV_9000", "The requested namespace does not exist."));
      }
    });
  });

  describe("item names", () => {
    const CHARS = "use only A-Z, a-z, 0-9, '_' and '-'.";
    it.each([
      ["a group of 129 characters", "g".repeat(129), "k", "Group name must be 1 to 128 characters long."],
      ["a group with a dot", "g.1", "k", `Group name contains invalid characters; ${CHARS}`],
      [
        "a group with an encoded slash",
        "g%2Fitems%2Fk",
        "k",
        `Group name contains invalid characters; ${CHARS}`,
      ],
      ["a group with an encoded space", "g%20h", "k", `Group name contains invalid characters; ${CHARS}`],
      ["an empty group", "", "k", "Group name must be 1 to 128 characters long."],
      ["an item of 513 characters", "g", "k".repeat(513), "Item key must be 1 to 512 characters long."],
      ["an item with a colon", "g", "a:b", `Item key contains invalid characters; ${CHARS}`],
      ["an item with an accent", "g", "caf%C3%A9", `Item key contains invalid characters; ${CHARS}`],
      ["an empty item", "g", "", "Item key must be 1 to 512 characters long."],
    ])("answers 400 EKV_9000 for %s", async (_label, group, item, detail) => {
      for (const response of [
        await get(url(group, item)),
        await putItem(h, { group, item, value: "v" }),
        await del(url(group, item)),
      ]) {
        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual(problem(400, "EKV_9000", detail));
      }
    });

    it.each([
      ["33 characters", "n".repeat(33), "Namespace name must be 1 to 32 characters long."],
      ["a leading '-'", "-ns", "Namespace name must not start with '-'."],
      ["a plus sign", "a+b", `Namespace name contains invalid characters; ${CHARS}`],
    ])("answers 400 EKV_9000 for a namespace of %s in an item path", async (_label, namespace, detail) => {
      const response = await get(url("g", "k", "production", namespace));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(problem(400, "EKV_9000", detail));
    });

    it("allows a leading '-' in group names and item keys", async () => {
      expect((await putItem(h, { group: "-g", item: "-k", value: "v" })).statusCode).toBe(200);
      expect((await get(url("-g", "-k"))).body).toBe("v");
    });

    it("answers 400 EKV_9000 for a group of 129 characters when listing its keys", async () => {
      const response = await get(groupUrl("g".repeat(129)));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(
        problem(400, "EKV_9000", "Group name must be 1 to 128 characters long."),
      );
    });
  });

  describe("DELETE .../groups/{group}/items/{item}", () => {
    it("deletes an item", async () => {
      await putItem(h, { group: "g", item: "k", value: "v" });
      const response = await del(url("g", "k"));
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(response.body).toBe(
        `Item was marked for deletion from KV store with database ${await cpcodeOf(h)}, namespace default, group g, and key k.`,
      );
      expect((await get(url("g", "k"))).statusCode).toBe(404);
      const again = await del(url("g", "k"));
      expect(again.statusCode).toBe(404);
      expect(again.json()).toEqual(
        problem(404, "EKV_9000", "Item 'k' or group 'g' was not found in the database."),
      );
    });
  });

  describe("GET .../groups and .../groups/{group}", () => {
    it("lists groups (created by their first item) and keys, sorted", async () => {
      for (const [group, item] of [
        ["beta", "k2"],
        ["beta", "K1"],
        ["alpha", "k"],
        ["Zed", "k"],
        ["beta", "_k0"],
      ] as const) {
        await putItem(h, { group, item, value: "v" });
      }
      const groups = await get(groupsUrl());
      expect(groups.statusCode).toBe(200);
      expect(groups.headers["content-type"]).toMatch(/^application\/json/);
      expect(groups.json()).toEqual(["Zed", "alpha", "beta"]);
      expect((await get(groupUrl("beta"))).json()).toEqual(["K1", "_k0", "k2"]);
      expect((await get(`${groupUrl("beta")}?maxItems=2`)).json()).toEqual(["K1", "_k0"]);
    });

    it("lists at most 100 keys by default", async () => {
      const keys = Array.from({ length: 101 }, (_, index) => `k${String(index).padStart(3, "0")}`);
      for (const item of keys) await putItem(h, { group: "g", item, value: "v" });
      expect((await get(groupUrl("g"))).json()).toEqual(keys.slice(0, 100));
      expect((await get(`${groupUrl("g")}?maxItems=100`)).json()).toHaveLength(100);
      expect((await get(`${groupUrl("g")}?maxItems=1`)).json()).toEqual(["k000"]);
    });

    it.each(["0", "101", "-1", "abc", "1.5", ""])(
      "answers 400 EKV_9000 for maxItems=%s",
      async (maxItems) => {
        await putItem(h, { group: "g", item: "k", value: "v" });
        const response = await get(`${groupUrl("g")}?maxItems=${maxItems}`);
        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual(
          problem(400, "EKV_9000", "maxItems must be an integer from 1 to 100."),
        );
      },
    );

    it("answers 404 EKV_9000 when there are no groups", async () => {
      const response = await get(groupsUrl("staging"));
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual(problem(404, "EKV_9000", "There are no groups."));
    });

    it("answers 404 EKV_9000 for a group that is missing or has been emptied", async () => {
      await putItem(h, { group: "g", item: "k", value: "v" });
      await del(url("g", "k"));
      for (const group of ["g", "never"]) {
        const response = await get(groupUrl(group));
        expect(response.statusCode).toBe(404);
        expect(response.json()).toEqual(
          problem(404, "EKV_9000", "The requested group is empty or not found."),
        );
      }
      expect((await get(groupsUrl())).statusCode).toBe(404);
    });
  });

  describe("retention", () => {
    beforeEach(async () => {
      await createNamespace(h, "production", "short", { retentionInSeconds: 86_400 });
    });
    const shortUrl = (item = "k") => url("g", item, "production", "short");

    it("stops returning an item when its namespace's retention has passed", async () => {
      await putItem(h, { namespace: "short", group: "g", item: "k", value: "v" });
      h.clock.advance(DAY_MS - 1);
      expect((await get(shortUrl())).body).toBe("v");
      expect((await get(groupUrl("g", "production", "short"))).json()).toEqual(["k"]);
      h.clock.advance(1);
      const expired = await get(shortUrl());
      expect(expired.statusCode).toBe(404);
      expect(expired.json()).toEqual(
        problem(404, "EKV_9000", "Item 'k' or group 'g' was not found in the database."),
      );
      expect((await get(groupUrl("g", "production", "short"))).statusCode).toBe(404);
      expect((await get(groupsUrl("production", "short"))).json()).toEqual(
        problem(404, "EKV_9000", "There are no groups."),
      );
      expect((await del(shortUrl())).statusCode).toBe(404);
    });

    it("renews an item's retention when it is written again", async () => {
      await putItem(h, { namespace: "short", group: "g", item: "k", value: "v1" });
      h.clock.advance(DAY_MS / 2);
      await putItem(h, { namespace: "short", group: "g", item: "k", value: "v2" });
      h.clock.advance(DAY_MS - 1);
      expect((await get(shortUrl())).body).toBe("v2");
      h.clock.advance(1);
      expect((await get(shortUrl())).statusCode).toBe(404);
    });

    it("keeps items of a namespace with retention 0 forever", async () => {
      await putItem(h, { group: "g", item: "k", value: "v" });
      h.clock.advance(3650 * DAY_MS);
      expect((await get(url("g", "k"))).body).toBe("v");
    });

    it("applies a changed retention to items written after the change", async () => {
      await putItem(h, { namespace: "short", group: "g", item: "old", value: "v" });
      const changed = await h.signed({
        method: "PUT",
        url: nsUrl("production", "short"),
        body: JSON.stringify({ namespace: "short", retentionInSeconds: 0, groupId: 0 }),
      });
      expect(changed.statusCode).toBe(200);
      await putItem(h, { namespace: "short", group: "g", item: "new", value: "v" });
      h.clock.advance(DAY_MS);
      expect((await get(shortUrl("old"))).statusCode).toBe(404);
      expect((await get(shortUrl("new"))).statusCode).toBe(200);
    });
  });
});
