import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import {
  cpcodeOf,
  createNamespace,
  itemUrl,
  namespaceBody,
  nsUrl,
  problem,
  putItem,
} from "./kv-test-support.ts";

describeEachDialect("namespace routes", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const get = (url: string) => h.signed({ method: "GET", url });
  const post = (network: string, body: unknown) =>
    h.signed({
      method: "POST",
      url: nsUrl(network),
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const put = (network: string, name: string, body: unknown) =>
    h.signed({
      method: "PUT",
      url: nsUrl(network, name),
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const del = (url: string) => h.signed({ method: "DELETE", url });

  const DEFAULT_DETAILS = {
    namespace: "default",
    retentionInSeconds: 0,
    geoLocation: "US",
    groupId: 0,
    dataAccessPolicy: { restrictDataAccess: false, policyType: "inherited" },
  };
  const DAY_MS = 86_400_000;

  /** [case, fields changed in a valid body, detail] */
  type BodyCase = [string, Record<string, unknown>, string];
  const CREATE_BODY_ERRORS: BodyCase[] = [
    [
      "a name of 33 characters",
      { namespace: "n".repeat(33) },
      "Namespace name must be 1 to 32 characters long.",
    ],
    ["an empty name", { namespace: "" }, "Namespace name must be 1 to 32 characters long."],
    ["a name starting with '-'", { namespace: "-ns" }, "Namespace name must not start with '-'."],
    [
      "a name with a dot",
      { namespace: "ns.1" },
      "Namespace name contains invalid characters; use only A-Z, a-z, 0-9, '_' and '-'.",
    ],
    [
      "a name with a space",
      { namespace: "my ns" },
      "Namespace name contains invalid characters; use only A-Z, a-z, 0-9, '_' and '-'.",
    ],
    ["no name", { namespace: undefined }, "namespace must be specified as a string."],
    ["a numeric name", { namespace: 12 }, "namespace must be specified as a string."],
    ["no retention", { retentionInSeconds: undefined }, "Retention period must be specified."],
    ["a null retention", { retentionInSeconds: null }, "Retention period must be specified."],
    ...[86_399, 1, 315_360_001, -1, 86_400.5, "a day", true].map(
      (retentionInSeconds): BodyCase => [
        `retention ${JSON.stringify(retentionInSeconds)}`,
        { retentionInSeconds },
        "retentionInSeconds must be 0 (keep items until deleted) or from 86400 to 315360000.",
      ],
    ),
    ["no groupId", { groupId: undefined }, "groupId must be specified (0 for no group)."],
    ["a negative groupId", { groupId: -1 }, "groupId must be an integer of 0 or more."],
    ["a fractional groupId", { groupId: 1.5 }, "groupId must be an integer of 0 or more."],
    ["an unknown location", { geoLocation: "MARS" }, "geoLocation must be one of US, EU, JP, GLOBAL."],
    ["a policy that is not an object", { dataAccessPolicy: true }, "dataAccessPolicy must be an object."],
    [
      "a policy flag that is not a boolean",
      { dataAccessPolicy: { restrictDataAccess: "yes" } },
      "dataAccessPolicy.restrictDataAccess must be true or false.",
    ],
  ];

  describe("GET /edgekv/v1/networks/{network}/namespaces", () => {
    it.each(["staging", "production"])("lists the default namespace on %s", async (network) => {
      const response = await get(nsUrl(network));
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toMatch(/^application\/json/);
      expect(response.json()).toEqual({ namespaces: [{ namespace: "default" }] });
    });

    it.each(["on", "true", "ON"])("gives the details with details=%s", async (details) => {
      const response = await get(`${nsUrl("production")}?details=${details}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ namespaces: [DEFAULT_DETAILS] });
      expect(Object.keys(response.json().namespaces[0])).toEqual([
        "namespace",
        "retentionInSeconds",
        "geoLocation",
        "groupId",
        "dataAccessPolicy",
      ]);
    });

    it("gives names only with details=off or false", async () => {
      for (const details of ["off", "false"]) {
        expect((await get(`${nsUrl("production")}?details=${details}`)).json()).toEqual({
          namespaces: [{ namespace: "default" }],
        });
      }
    });

    it("refuses another details value", async () => {
      const response = await get(`${nsUrl("production")}?details=yes`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(problem(400, "EKV_2000", "details must be on, true, off, false."));
    });

    it("sorts the names and keeps the networks apart", async () => {
      for (const name of ["zeta", "alpha", "Beta", "_x", "a-1"]) await createNamespace(h, "production", name);
      await createNamespace(h, "staging", "only_staging");
      expect(
        (await get(nsUrl("production"))).json().namespaces.map((n: { namespace: string }) => n.namespace),
      ).toEqual(["Beta", "_x", "a-1", "alpha", "default", "zeta"]);
      expect((await get(nsUrl("staging"))).json()).toEqual({
        namespaces: [{ namespace: "default" }, { namespace: "only_staging" }],
      });
    });
  });

  describe("POST /edgekv/v1/networks/{network}/namespaces", () => {
    it("creates a namespace and echoes it", async () => {
      const body = {
        namespace: "marketing",
        retentionInSeconds: 15_724_800,
        groupId: 1234,
        geoLocation: "EU",
      };
      const response = await post("production", body);
      expect(response.statusCode).toBe(200);
      const expected = {
        ...body,
        dataAccessPolicy: { restrictDataAccess: false, policyType: "inherited" },
      };
      expect(response.json()).toEqual(expected);
      expect(Object.keys(response.json())).toEqual([
        "namespace",
        "retentionInSeconds",
        "geoLocation",
        "groupId",
        "dataAccessPolicy",
      ]);
      expect((await get(nsUrl("production", "marketing"))).json()).toEqual(expected);
      expect((await get(`${nsUrl("production")}?details=on`)).json().namespaces).toEqual([
        DEFAULT_DETAILS,
        expected,
      ]);
      expect((await get(nsUrl("staging", "marketing"))).statusCode).toBe(400);
    });

    it.each([
      ["absent", undefined, "US"],
      ["null", null, "US"],
      ["EU", "EU", "EU"],
      ["JP", "JP", "JP"],
      ["GLOBAL", "GLOBAL", "GLOBAL"],
      ["lower case", "jp", "JP"],
    ])("takes geoLocation %s on production", async (_label, geoLocation, stored) => {
      const response = await post("production", { ...namespaceBody("ns"), geoLocation });
      expect(response.statusCode).toBe(200);
      expect(response.json().geoLocation).toBe(stored);
    });

    it("takes the official CLI's groupId and retention as strings of digits", async () => {
      const response = await post("staging", { namespace: "cli", retentionInSeconds: "86400", groupId: "0" });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ retentionInSeconds: 86400, groupId: 0, geoLocation: "US" });
    });

    it.each([0, 86_400, 315_360_000])("accepts retentionInSeconds %d", async (retentionInSeconds) => {
      expect((await post("production", namespaceBody("ns", { retentionInSeconds }))).statusCode).toBe(200);
    });

    it("answers 200 again for the same configuration (idempotent)", async () => {
      const body = namespaceBody("ns", { retentionInSeconds: 86_400, groupId: 7, geoLocation: "JP" });
      const first = await post("production", body);
      const second = await post("production", body);
      expect(second.statusCode).toBe(200);
      expect(second.json()).toEqual(first.json());
      // Leaving out the default location is the same configuration as stating it.
      await post("production", namespaceBody("us"));
      expect((await post("production", { ...namespaceBody("us"), geoLocation: "US" })).statusCode).toBe(200);
    });

    it.each([
      ["retention", { retentionInSeconds: 86_400 }],
      ["groupId", { groupId: 1 }],
      ["geoLocation", { geoLocation: "EU" }],
      ["data access policy", { dataAccessPolicy: { restrictDataAccess: true } }],
    ])("answers 409 when the namespace exists with another %s", async (_label, change) => {
      await post("production", namespaceBody("ns"));
      const response = await post("production", namespaceBody("ns", change));
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual(
        problem(409, "EKV_3000", "Namespace ns already exists with a different configuration."),
      );
      expect(response.json().type).toBe("/edgekv/error-types/edgekv-conflict");
    });

    it("allows 20 namespaces per network, default included", async () => {
      for (let index = 1; index < 20; index += 1) await createNamespace(h, "production", `ns${index}`);
      const response = await post("production", namespaceBody("ns20"));
      expect(response.statusCode).toBe(413);
      expect(response.json()).toEqual(
        problem(
          413,
          "EKV_9000",
          "Each account is allowed 20 namespaces. This limit has already been reached.",
        ),
      );
      // Asking again for one that exists is still fine, and the other network has its own count.
      expect((await post("production", namespaceBody("ns1"))).statusCode).toBe(200);
      expect((await post("staging", namespaceBody("ns20"))).statusCode).toBe(200);
      expect((await get(nsUrl("production"))).json().namespaces).toHaveLength(20);
    });

    it.each(CREATE_BODY_ERRORS)("answers 400 EKV_2000 for %s", async (_label, change, detail) => {
      const response = await post("production", { ...namespaceBody("ns"), ...change });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(problem(400, "EKV_2000", detail));
    });

    it.each([
      ["an array", "[]"],
      ["a string", '"ns"'],
      ["null", "null"],
    ])("answers 400 for a body that is %s", async (_label, body) => {
      const response = await post("production", body);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(problem(400, "EKV_2000", "The request body must be a JSON object."));
    });

    it.each(["EU", "JP", "GLOBAL"])("answers 400 for %s on staging", async (geoLocation) => {
      const response = await post("staging", namespaceBody("ns", { geoLocation }));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(
        problem(400, "EKV_2000", "The staging network only supports US location."),
      );
    });

    it.each([
      ["malformed JSON", '{"namespace": "ns",'],
      ["duplicate keys", '{"namespace": "ns", "namespace": "other", "retentionInSeconds": 0, "groupId": 0}'],
      ["an empty body", ""],
    ])("answers 422 EKV_2001 for %s", async (_label, body) => {
      const response = await post("production", body);
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual(
        problem(422, "EKV_2001", "The JSON request body contained a syntax error or duplicate attributes."),
      );
    });

    it("marks a namespace whose policy differs from the account's as overridden", async () => {
      const response = await post(
        "production",
        namespaceBody("secret", { dataAccessPolicy: { restrictDataAccess: true } }),
      );
      expect(response.statusCode).toBe(200);
      expect(response.json().dataAccessPolicy).toEqual({
        restrictDataAccess: true,
        policyType: "overridden",
      });
      const same = await post(
        "production",
        namespaceBody("open", { dataAccessPolicy: { restrictDataAccess: false } }),
      );
      expect(same.json().dataAccessPolicy).toEqual({ restrictDataAccess: false, policyType: "inherited" });
    });

    it("refuses a per-namespace policy when the account does not allow overrides", async () => {
      await h.store.accounts.create({
        id: "strict",
        cpcode: null,
        initializedAt: null,
        dataAccessPolicy: { restrictDataAccess: true, allowNamespacePolicyOverride: false },
        createdAt: h.clock.now(),
      });
      await h.services.initializer.initialize("strict", {
        restrictDataAccess: true,
        allowNamespacePolicyOverride: false,
      });
      const url = `${nsUrl("production")}?accountSwitchKey=strict`;
      const refused = await h.signed({
        method: "POST",
        url,
        body: JSON.stringify(namespaceBody("open", { dataAccessPolicy: { restrictDataAccess: false } })),
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toEqual(
        problem(
          400,
          "EKV_2000",
          "The account's data access policy (restrictDataAccess true) does not allow namespaces to override it.",
        ),
      );
      const inherited = await h.signed({
        method: "POST",
        url,
        body: JSON.stringify(namespaceBody("closed")),
      });
      expect(inherited.json().dataAccessPolicy).toEqual({
        restrictDataAccess: true,
        policyType: "inherited",
      });
    });
  });

  describe("GET /edgekv/v1/networks/{network}/namespaces/{namespace}", () => {
    it("reads a namespace", async () => {
      const response = await get(nsUrl("staging", "default"));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(DEFAULT_DETAILS);
    });

    it("answers 400 EKV_9000 for a namespace that does not exist", async () => {
      const response = await get(nsUrl("production", "nope"));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(problem(400, "EKV_9000", "The requested namespace does not exist."));
    });

    it.each([
      ["n".repeat(33), "Namespace name must be 1 to 32 characters long."],
      ["-ns", "Namespace name must not start with '-'."],
      ["ns.1", "Namespace name contains invalid characters; use only A-Z, a-z, 0-9, '_' and '-'."],
      ["ns%2Fx", "Namespace name contains invalid characters; use only A-Z, a-z, 0-9, '_' and '-'."],
    ])("answers 400 EKV_9000 for the name %s", async (name, detail) => {
      const response = await get(nsUrl("production", name));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(problem(400, "EKV_9000", detail));
    });
  });

  describe("PUT /edgekv/v1/networks/{network}/namespaces/{namespace}", () => {
    beforeEach(async () => {
      await createNamespace(h, "production", "ns", { retentionInSeconds: 86_400, groupId: 5 });
    });

    it("changes the retention", async () => {
      const response = await put("production", "ns", {
        namespace: "ns",
        retentionInSeconds: 172_800,
        groupId: 5,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        namespace: "ns",
        retentionInSeconds: 172_800,
        geoLocation: "US",
        groupId: 5,
        dataAccessPolicy: { restrictDataAccess: false, policyType: "inherited" },
      });
      expect((await get(nsUrl("production", "ns"))).json().retentionInSeconds).toBe(172_800);
    });

    it("takes the body the official CLI sends (current geoLocation and groupId, as strings)", async () => {
      const response = await put("production", "ns", {
        namespace: "ns",
        retentionInSeconds: 0,
        groupId: "5",
        geoLocation: "US",
      });
      expect(response.statusCode).toBe(200);
      expect(response.json().retentionInSeconds).toBe(0);
    });

    it("accepts the default namespace's unchanged retention", async () => {
      const response = await put("production", "default", {
        namespace: "default",
        retentionInSeconds: 0,
        groupId: 0,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(DEFAULT_DETAILS);
    });

    it.each([
      [
        "a groupId change",
        "ns",
        { namespace: "ns", retentionInSeconds: 86_400, groupId: 6 },
        "groupId changes must be made through the reauthorize endpoint.",
      ],
      [
        "a geoLocation change",
        "ns",
        { namespace: "ns", retentionInSeconds: 86_400, groupId: 5, geoLocation: "EU" },
        "The geoLocation of a namespace cannot be changed.",
      ],
      [
        "another namespace in the body",
        "ns",
        { namespace: "other", retentionInSeconds: 86_400, groupId: 5 },
        "The namespace in the body must be ns, the namespace in the URL.",
      ],
      [
        "no namespace in the body",
        "ns",
        { retentionInSeconds: 86_400, groupId: 5 },
        "The namespace in the body must be given, the namespace in the URL.",
      ],
      ["no retention", "ns", { namespace: "ns", groupId: 5 }, "Retention period must be specified."],
      [
        "a retention out of range",
        "ns",
        { namespace: "ns", retentionInSeconds: 60, groupId: 5 },
        "retentionInSeconds must be 0 (keep items until deleted) or from 86400 to 315360000.",
      ],
      [
        "a change of the default namespace's retention",
        "default",
        { namespace: "default", retentionInSeconds: 86_400, groupId: 0 },
        "The retention period of the default namespace cannot be changed.",
      ],
    ])("answers 400 EKV_2000 for %s", async (_label, name, body, detail) => {
      const response = await put("production", name, body);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(problem(400, "EKV_2000", detail));
    });

    it("answers 400 EKV_9000 for a namespace that does not exist", async () => {
      const response = await put("staging", "ns", { namespace: "ns", retentionInSeconds: 0, groupId: 5 });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(problem(400, "EKV_9000", "The requested namespace does not exist."));
    });

    it("answers 422 for a malformed body", async () => {
      const response = await put("production", "ns", "{");
      expect(response.statusCode).toBe(422);
      expect(response.json().errorCode).toBe("EKV_2001");
    });
  });

  describe("DELETE /edgekv/v1/networks/{network}/namespaces/{namespace}", () => {
    beforeEach(async () => {
      await createNamespace(h, "production", "ns");
      expect((await putItem(h, { namespace: "ns", group: "g", item: "k", value: "v" })).statusCode).toBe(200);
    });

    it("schedules the deletion (202) and deletes the namespace and its items when the time comes", async () => {
      const response = await del(nsUrl("production", "ns"));
      expect(response.statusCode).toBe(202);
      const due = new Date(h.clock.now().getTime() + 3 * DAY_MS);
      expect(response.json()).toEqual({ scheduledDeleteTime: due.toISOString() });
      // Until then everything stays, and asking again keeps the first time.
      h.clock.advance(DAY_MS);
      expect((await get(itemUrl("production", "ns", "g", "k"))).body).toBe("v");
      expect((await del(nsUrl("production", "ns"))).json()).toEqual({
        scheduledDeleteTime: due.toISOString(),
      });
      h.clock.advance(2 * DAY_MS - 1);
      expect((await get(nsUrl("production", "ns"))).statusCode).toBe(200);
      h.clock.advance(1);
      const gone = await get(nsUrl("production", "ns"));
      expect(gone.statusCode).toBe(400);
      expect(gone.json()).toEqual(problem(400, "EKV_9000", "The requested namespace does not exist."));
      expect((await get(nsUrl("production"))).json()).toEqual({ namespaces: [{ namespace: "default" }] });
      // A namespace created again under that name starts empty.
      await createNamespace(h, "production", "ns");
      expect((await get(`${nsUrl("production", "ns")}/groups`)).statusCode).toBe(404);
    });

    it("deletes at once with sync=true (200), items included", async () => {
      const response = await del(`${nsUrl("production", "ns")}?sync=true`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        operationPerformed: "DELETED",
        description: "Namespace 'ns' was successfully deleted.",
        id: await cpcodeOf(h),
      });
      expect((await get(nsUrl("production", "ns"))).statusCode).toBe(400);
      await createNamespace(h, "production", "ns");
      expect((await get(itemUrl("production", "ns", "g", "k"))).statusCode).toBe(404);
    });

    it("schedules with sync=false", async () => {
      expect((await del(`${nsUrl("production", "ns")}?sync=false`)).statusCode).toBe(202);
    });

    it("leaves tokens that name the namespace as they are", async () => {
      const created = await h.signed({
        method: "POST",
        url: "/edgekv/v1/tokens",
        body: JSON.stringify({
          name: "tok",
          allowOnStaging: false,
          allowOnProduction: true,
          namespacePermissions: { ns: ["r"] },
        }),
      });
      expect(created.statusCode).toBe(200);
      expect((await del(`${nsUrl("production", "ns")}?sync=true`)).statusCode).toBe(200);
      const token = await get("/edgekv/v1/tokens/tok");
      expect(token.statusCode).toBe(200);
      expect(token.json().namespacePermissions).toEqual({ ns: ["r"] });
    });

    it.each([
      [
        "the default namespace",
        nsUrl("production", "default"),
        400,
        "EKV_9000",
        "The default namespace cannot be deleted.",
      ],
      [
        "a namespace that does not exist",
        nsUrl("production", "nope"),
        400,
        "EKV_9000",
        "The requested namespace does not exist.",
      ],
      [
        "a namespace only on the other network",
        nsUrl("staging", "ns"),
        400,
        "EKV_9000",
        "The requested namespace does not exist.",
      ],
      [
        "an unknown sync value",
        `${nsUrl("production", "ns")}?sync=yes`,
        400,
        "EKV_2000",
        "sync must be true, false.",
      ],
    ])("refuses to delete %s", async (_label, url, status, errorCode, detail) => {
      const response = await del(url);
      expect(response.statusCode).toBe(status);
      expect(response.json()).toEqual(problem(status, errorCode, detail));
    });
  });

  describe("namespace routes in general", () => {
    it.each([
      ["GET", nsUrl("qa")],
      ["POST", nsUrl("Production")],
      ["GET", nsUrl("stage", "default")],
      ["PUT", nsUrl("prod", "default")],
      ["DELETE", nsUrl("x", "default")],
      ["GET", `${nsUrl("x", "default")}/groups`],
      ["GET", `${nsUrl("x", "default")}/groups/g`],
      ["GET", itemUrl("x", "default", "g", "k")],
      ["PUT", itemUrl("x", "default", "g", "k")],
      ["DELETE", itemUrl("x", "default", "g", "k")],
    ])("answers 400 EKV_9000 for %s %s (unknown network)", async (method, url) => {
      const response = await h.signed({
        method,
        url,
        ...(method === "PUT" || method === "POST" ? { body: "{}" } : {}),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(problem(400, "EKV_9000", "The network must be staging or production."));
    });

    it.each([
      ["PATCH", nsUrl("production"), "GET, POST, HEAD"],
      ["POST", nsUrl("production", "default"), "GET, PUT, DELETE, HEAD"],
      ["DELETE", `${nsUrl("production", "default")}/groups`, "GET, HEAD"],
      ["PUT", `${nsUrl("production", "default")}/groups/g`, "GET, HEAD"],
      ["POST", itemUrl("production", "default", "g", "k"), "GET, PUT, DELETE, HEAD"],
    ])("answers 405 for %s %s", async (method, url, allow) => {
      const response = await h.signed({ method, url });
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe(allow);
      expect(response.json()).toEqual(
        problem(405, "EKV_2000", `Method ${method} is not allowed here; use ${allow}.`),
      );
    });

    it.each([
      `${nsUrl("production", "default")}/`,
      `${nsUrl("production", "default")}/other`,
      `${nsUrl("production", "default")}/groups/g/keys/k`,
      `${itemUrl("production", "default", "g", "k")}/more`,
      `${nsUrl("production")}/`,
    ])("answers 404 for %s", async (url) => {
      const response = await get(url);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual(problem(404, "EKV_2000", /^No resource at GET /));
    });

    it.each([
      ["GET", nsUrl("production")],
      ["POST", nsUrl("production")],
      ["GET", nsUrl("staging", "default")],
      ["PUT", nsUrl("staging", "default")],
      ["DELETE", nsUrl("staging", "default")],
      ["GET", `${nsUrl("staging", "default")}/groups`],
      ["GET", `${nsUrl("staging", "default")}/groups/g`],
      ["GET", itemUrl("staging", "default", "g", "k")],
      ["PUT", itemUrl("staging", "default", "g", "k")],
      ["DELETE", itemUrl("staging", "default", "g", "k")],
    ])("answers 404 not_initialized for %s %s on an account that is not initialized", async (method, url) => {
      await h.store.accounts.create({
        id: "fresh",
        cpcode: null,
        initializedAt: null,
        dataAccessPolicy: { restrictDataAccess: false, allowNamespacePolicyOverride: true },
        createdAt: h.clock.now(),
      });
      const body =
        method === "GET" || method === "DELETE"
          ? {}
          : { body: JSON.stringify({ namespace: "default", retentionInSeconds: 0, groupId: 0 }) };
      const response = await h.signed({ method, url: `${url}?accountSwitchKey=fresh`, ...body });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual(
        problem(
          404,
          "EKV_9000",
          "EdgeKV is not initialized for account fresh. Initialize it first: PUT /edgekv/v1/initialize.",
        ),
      );
    });
  });
});
