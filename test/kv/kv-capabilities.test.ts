import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CAPABILITIES, type Capability } from "../../src/accounts/model.ts";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { itemUrl, namespaceBody, nsUrl, problem, putItem } from "./kv-test-support.ts";

describeEachDialect("kv capabilities", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    await putItem(h, { group: "g", item: "k", value: "v" });
    await putItem(h, { network: "staging", group: "g", item: "k", value: "v" });
  });
  afterEach(async () => {
    await h.close();
  });

  interface Operation {
    label: string;
    method: string;
    url: (network: string) => string;
    body?: string;
    capability: Capability;
    staging: Capability;
  }

  const OPERATIONS: Operation[] = [
    {
      label: "list namespaces",
      method: "GET",
      url: (network) => nsUrl(network),
      capability: "VIEW_NAMESPACE",
      staging: "VIEW_STAGING_NAMESPACE",
    },
    {
      label: "create a namespace",
      method: "POST",
      url: (network) => nsUrl(network),
      body: JSON.stringify(namespaceBody("ns")),
      capability: "CREATE_NAMESPACE",
      staging: "CREATE_STAGING_NAMESPACE",
    },
    {
      label: "read a namespace",
      method: "GET",
      url: (network) => nsUrl(network, "default"),
      capability: "VIEW_NAMESPACE",
      staging: "VIEW_STAGING_NAMESPACE",
    },
    {
      label: "update a namespace",
      method: "PUT",
      url: (network) => nsUrl(network, "default"),
      body: JSON.stringify(namespaceBody("default")),
      capability: "MODIFY_NAMESPACE",
      staging: "MODIFY_STAGING_NAMESPACE",
    },
    {
      label: "delete a namespace",
      method: "DELETE",
      // Refused for `default` by the rules, but only after the capability check.
      url: (network) => nsUrl(network, "default"),
      capability: "DELETE_NAMESPACE",
      staging: "DELETE_STAGING_NAMESPACE",
    },
    {
      label: "list groups",
      method: "GET",
      url: (network) => `${nsUrl(network, "default")}/groups`,
      capability: "READ_DATA",
      staging: "READ_STAGING_DATA",
    },
    {
      label: "list item keys",
      method: "GET",
      url: (network) => `${nsUrl(network, "default")}/groups/g`,
      capability: "READ_DATA",
      staging: "READ_STAGING_DATA",
    },
    {
      label: "read an item",
      method: "GET",
      url: (network) => itemUrl(network, "default", "g", "k"),
      capability: "READ_DATA",
      staging: "READ_STAGING_DATA",
    },
    {
      label: "write an item",
      method: "PUT",
      url: (network) => itemUrl(network, "default", "g", "k"),
      body: '"v2"',
      capability: "WRITE_DATA",
      staging: "WRITE_STAGING_DATA",
    },
    {
      label: "delete an item",
      method: "DELETE",
      url: (network) => itemUrl(network, "default", "g", "k"),
      capability: "DELETE_DATA",
      staging: "DELETE_STAGING_DATA",
    },
  ];

  const without = (...missing: Capability[]) =>
    CAPABILITIES.filter((capability) => !missing.includes(capability));

  async function send(operation: Operation, network: string, capabilities: readonly Capability[]) {
    const credentials = await h.addClient({ capabilities });
    const response = await h.signed({
      method: operation.method,
      url: operation.url(network),
      credentials,
      ...(operation.body === undefined ? {} : { body: operation.body }),
    });
    return { response, clientToken: credentials.clientToken };
  }

  const lacks = (clientToken: string, names: string, first: Capability) =>
    `The API client ${clientToken} lacks the ${names} capability. ` +
    `Create a client that has it: edgekv credentials create --account default --capabilities ${first},...`;

  describe("capabilities of the namespace and item API", () => {
    it.each(OPERATIONS)("$label on production needs $capability", async (operation) => {
      // The staging capability does not cover production.
      const { response, clientToken } = await send(operation, "production", without(operation.capability));
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual(
        problem(403, "EKV_1000", lacks(clientToken, operation.capability, operation.capability)),
      );
    });

    it.each(OPERATIONS)("$label on staging needs $capability or $staging", async (operation) => {
      const { response, clientToken } = await send(
        operation,
        "staging",
        without(operation.capability, operation.staging),
      );
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual(
        problem(
          403,
          "EKV_1000",
          lacks(clientToken, `${operation.capability} or ${operation.staging}`, operation.capability),
        ),
      );
    });

    it.each(OPERATIONS)("$label on staging is allowed with $staging alone", async (operation) => {
      const { response } = await send(operation, "staging", [operation.staging]);
      expect(response.statusCode).not.toBe(403);
      expect(response.statusCode).toBeLessThan(500);
    });

    it.each(OPERATIONS)("$label on production is allowed with $capability alone", async (operation) => {
      const { response } = await send(operation, "production", [operation.capability]);
      expect(response.statusCode).not.toBe(403);
      expect(response.statusCode).toBeLessThan(500);
    });
  });
});
