import { describe, expect, it } from "vitest";
import { auditActions, groupsOf, matchesAudit, mergeAudit } from "../../console/src/lib/audit.ts";
import { verdictText, verifyRequest } from "../../console/src/lib/verify.ts";

describe("verifyRequest", () => {
  const form = {
    credential: " abc.def.ghi ",
    network: "staging",
    namespace: "",
    operation: "read",
    edgeWorkerId: "",
  };

  it("sends a JWT as token and anything else as reference", () => {
    expect(verifyRequest(form)).toEqual({ token: "abc.def.ghi" });
    expect(verifyRequest({ ...form, credential: "0b6c…uuid" })).toEqual({ reference: "0b6c…uuid" });
  });

  it("asks about access only for a namespace, with the EdgeWorker id when given", () => {
    expect(verifyRequest({ ...form, namespace: "default", edgeWorkerId: "42" })).toEqual({
      token: "abc.def.ghi",
      network: "staging",
      namespace: "default",
      operation: "read",
      edgeWorkerId: "42",
    });
  });

  it.each([
    [{ valid: true, credential: "previous" }, "Valid (previous credential)."],
    [{ valid: false, reason: "revoked" }, "Not valid: revoked."],
    [{ valid: true, access: { allowed: true } }, "Valid (current credential). Access allowed."],
    [
      { valid: true, access: { allowed: false, reason: "No write permission." } },
      "Valid (current credential). Access refused: No write permission.",
    ],
  ])("says %j as %s", (answer, text) => {
    expect(verdictText(answer)).toBe(text);
  });
});

describe("the audit log's filters", () => {
  const event = {
    id: 1,
    action: "token.create",
    target: "tokens/my_token",
    clientToken: "akab-1",
    accountId: "default",
    outcome: "ok",
  };

  it.each([
    ["", "", true],
    ["token.", "", true],
    ["token.create", "", true],
    ["token.revoke", "", false],
    ["item.", "", false],
    ["", "MY_TOKEN", true],
    ["", "akab-1", true],
    ["", "elsewhere", false],
  ])("action %j and search %j: %s", (action, search, expected) => {
    expect(matchesAudit(event, action, search)).toBe(expected);
  });

  it("offers the known actions and any other the log shows, grouped by their first word", () => {
    const actions = auditActions([{ action: "console.login" }, { action: "token.create" }]);
    expect(actions).toContain("console.login");
    expect(actions.filter((action) => action === "token.create")).toHaveLength(1);
    const groups = groupsOf(actions);
    expect(groups).toEqual(expect.arrayContaining(["token.", "auth.", "console."]));
    expect(new Set(groups).size).toBe(groups.length);
  });

  it("merges pages and the live tail newest first, each event once", () => {
    expect(mergeAudit([{ id: 3 }, { id: 1 }], [{ id: 4 }, { id: 3 }]).map((e) => e.id)).toEqual([4, 3, 1]);
  });
});
