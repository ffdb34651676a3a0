import { describe, expect, it } from "vitest";
import { type FieldHint, fieldOf, type Problem, problemOf } from "../../console/src/lib/problem.ts";

const problem = (field: string | null, detail = "Something is wrong."): Problem => ({
  status: 400,
  title: "Bad Request",
  detail,
  field,
  errorCode: "EKV_2000",
});

describe("problemOf", () => {
  it("reads problem+json, with the console's field", () => {
    expect(
      problemOf(400, {
        title: "Bad Request",
        detail: "Invalid token name.",
        errorCode: "EKV_2000",
        field: "name",
      }),
    ).toEqual({
      status: 400,
      title: "Bad Request",
      detail: "Invalid token name.",
      field: "name",
      errorCode: "EKV_2000",
    });
  });

  it.each([
    ["the data plane's message", { message: "Not found" }, "Not found"],
    ["a text body", "gateway timeout", "gateway timeout"],
    ["no body", null, "HTTP 502"],
  ])("reads %s", (_case, body, detail) => {
    expect(problemOf(502, body)).toMatchObject({ status: 502, detail, field: null });
  });
});

describe("fieldOf", () => {
  const fields = ["name", "namespacePermissions", "namespacePermissions.default", "expiry"];
  const hints: FieldHint[] = [
    [/token name/i, "name"],
    [/expir/i, "expiry"],
  ];

  it.each([
    ["the field named", "name", "name"],
    ["a namespace's row", "namespacePermissions.default", "namespacePermissions.default"],
    ["a permission inside a row", "namespacePermissions.default.1", "namespacePermissions.default"],
    ["a namespace without a row", "namespacePermissions.other", "namespacePermissions"],
    ["a field the form does not have", "restrictToEdgeWorkerIds", null],
  ])("puts an error on %s beside %s", (_case, field, expected) => {
    expect(fieldOf(problem(field), fields, hints)).toBe(expected);
  });

  it("reads the detail when the server names no field", () => {
    expect(fieldOf(problem(null, "The token name is required."), fields, hints)).toBe("name");
    expect(fieldOf(problem(null, "Invalid expiration time."), fields, hints)).toBe("expiry");
    expect(fieldOf(problem(null, "Account default is not initialized."), fields, hints)).toBeNull();
  });

  it("trusts the server's field over the words", () => {
    expect(fieldOf(problem("expiry", "The token name is fine, the expiry is not."), fields, hints)).toBe(
      "expiry",
    );
  });
});
