import { afterEach, beforeEach, expect, it } from "vitest";
import { CAPABILITIES } from "../../src/accounts/model.ts";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { createNamespace, nsUrl, problem } from "./kv-test-support.ts";

describeEachDialect("the /auth endpoints", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });
  const get = (url: string) => h.signed({ method: "GET", url });
  const put = (url: string, body: unknown, credentials = h.credentials) =>
    h.signed({ method: "PUT", url, body: JSON.stringify(body), credentials });

  it("lists the account's groups, those its namespaces are in, with what this client may do", async () => {
    await createNamespace(h, "production", "marketing", { groupId: 42 });
    const response = await get("/edgekv/v1/auth/groups");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      groups: [
        { groupId: 0, groupName: "Default group", capabilities: [...CAPABILITIES] },
        { groupId: 42, groupName: "Group 42", capabilities: [...CAPABILITIES] },
      ],
    });
    const viewer = await h.addClient({ capabilities: ["VIEW_TOKEN", "READ_DATA"] });
    const asViewer = await h.signed({ method: "GET", url: "/edgekv/v1/auth/groups/42", credentials: viewer });
    expect(asViewer.json()).toEqual({
      groupId: 42,
      groupName: "Group 42",
      capabilities: ["VIEW_TOKEN", "READ_DATA"],
    });
  });

  it.each([
    [
      "a group no namespace is in",
      "/edgekv/v1/auth/groups/7",
      403,
      "EKV_1000",
      "You do not have access to group 7.",
    ],
    [
      "a group id that is not a number",
      "/edgekv/v1/auth/groups/x",
      400,
      "EKV_2000",
      "groupId must be an integer of 0 or more.",
    ],
  ])("refuses %s", async (_case, url, status, errorCode, detail) => {
    const response = await get(url);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual(problem(status, errorCode, detail));
  });

  it("reauthorizes a namespace to another group on every network it is on", async () => {
    await createNamespace(h, "production", "shared", { groupId: 1 });
    await createNamespace(h, "staging", "shared", { groupId: 1 });
    const response = await put("/edgekv/v1/auth/namespaces/shared", { groupId: 5 });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ groupId: 5 });
    for (const network of ["production", "staging"]) {
      expect((await get(nsUrl(network, "shared"))).json().groupId).toBe(5);
    }
    expect(
      (await get("/edgekv/v1/auth/groups")).json().groups.map((group: { groupId: number }) => group.groupId),
    ).toEqual([0, 5]);
  });

  it.each([
    ["a namespace that does not exist", "nope", {}],
    [
      "a client without AUTHORIZE_NAMESPACE",
      "shared",
      { capabilities: ["MODIFY_NAMESPACE", "VIEW_NAMESPACE"] as const },
    ],
    [
      "a client with only AUTHORIZE_STAGING_NAMESPACE for a namespace also on production",
      "shared",
      { capabilities: ["AUTHORIZE_STAGING_NAMESPACE"] as const },
    ],
  ])("answers %s with 400 EKV_1002, and nothing moves", async (_case, name, client) => {
    await createNamespace(h, "production", "shared", { groupId: 1 });
    await createNamespace(h, "staging", "shared", { groupId: 1 });
    const credentials = await h.addClient(client);
    const response = await put(`/edgekv/v1/auth/namespaces/${name}`, { groupId: 9 }, credentials);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(
      problem(
        400,
        "EKV_1002",
        "That resource does not exist or you are missing the 'AUTHORIZE_NAMESPACE' permission for it.",
      ),
    );
    expect((await get(nsUrl("production", "shared"))).json().groupId).toBe(1);
  });

  it("lets AUTHORIZE_STAGING_NAMESPACE move a namespace that is only on staging", async () => {
    await createNamespace(h, "staging", "lab", { groupId: 1 });
    const credentials = await h.addClient({ capabilities: ["AUTHORIZE_STAGING_NAMESPACE"] });
    expect((await put("/edgekv/v1/auth/namespaces/lab", { groupId: 2 }, credentials)).statusCode).toBe(200);
  });

  it.each([
    ["a missing groupId", {}, "groupId must be specified (0 for no group)."],
    ["a negative groupId", { groupId: -1 }, "groupId must be an integer of 0 or more."],
  ])("refuses a reauthorization with %s", async (_case, body, detail) => {
    const response = await put("/edgekv/v1/auth/namespaces/default", body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(problem(400, "EKV_2000", detail));
  });

  it("changes the default data access policy for namespaces created from now on", async () => {
    const response = await put("/edgekv/v1/auth/database", {
      dataAccessPolicy: { restrictDataAccess: true },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      accountStatus: "INITIALIZED",
      dataAccessPolicy: { restrictDataAccess: true, allowNamespacePolicyOverride: true },
    });
    expect((await get("/edgekv/v1/initialize")).json().dataAccessPolicy.restrictDataAccess).toBe(true);
    await createNamespace(h, "production", "fresh");
    expect((await get(nsUrl("production", "fresh"))).json().dataAccessPolicy).toEqual({
      restrictDataAccess: true,
      policyType: "inherited",
    });
    expect((await get(nsUrl("production", "default"))).json().dataAccessPolicy.restrictDataAccess).toBe(
      false,
    );
  });

  it.each([
    ["no dataAccessPolicy", {}, "dataAccessPolicy must be an object."],
    [
      "a policy flag that is not a boolean",
      { dataAccessPolicy: { restrictDataAccess: "yes" } },
      /must be booleans/,
    ],
  ])("refuses a policy change with %s", async (_case, body, detail) => {
    const response = await put("/edgekv/v1/auth/database", body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(problem(400, "EKV_2000", detail));
  });

  it("updates a namespace's retention with only namespace and retentionInSeconds, Akamai's required fields", async () => {
    await createNamespace(h, "production", "ns", { groupId: 3 });
    const response = await put(nsUrl("production", "ns"), { namespace: "ns", retentionInSeconds: 86_400 });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ retentionInSeconds: 86_400, groupId: 3 });
  });
});
