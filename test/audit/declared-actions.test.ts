import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, COMMAND_LINE_ACTIONS, CONSOLE_ACTIONS } from "../../src/audit/audit-event.ts";
import { apiDocument } from "../../src/server.ts";

type Operation = { operationId: string; "x-edgekv-audit"?: string };

/** POST routes that read: they change nothing, so there is nothing to audit. */
const READS_BY_POST = ["verifyToken"];

describe("the audited routes", () => {
  it("are every route that changes state, each with a known action", async () => {
    const document = await apiDocument();
    const operations = Object.values(document.paths as Record<string, Record<string, Operation>>).flatMap(
      (item) => Object.entries(item).map(([method, operation]) => ({ method, ...operation })),
    );
    const unaudited = operations.filter(
      (operation) =>
        operation.method !== "get" &&
        operation["x-edgekv-audit"] === undefined &&
        !READS_BY_POST.includes(operation.operationId),
    );
    expect(unaudited.map((operation) => operation.operationId)).toEqual([]);
    const declared = operations.flatMap((operation) => operation["x-edgekv-audit"] ?? []);
    expect(declared.filter((action) => !(AUDIT_ACTIONS as readonly string[]).includes(action))).toEqual([]);
    expect(
      operations.filter((operation) => operation.method === "get" && operation["x-edgekv-audit"]),
    ).toEqual([]);
    expect(new Set(declared)).toEqual(
      new Set(
        AUDIT_ACTIONS.filter(
          (action) =>
            !(COMMAND_LINE_ACTIONS as readonly string[]).includes(action) &&
            !(CONSOLE_ACTIONS as readonly string[]).includes(action) &&
            action !== "auth.refused",
        ),
      ),
    );
  });
});
