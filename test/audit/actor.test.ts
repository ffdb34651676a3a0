import { describe, expect, it } from "vitest";
import { namedClientToken } from "../../src/audit/actor.ts";

const head = (authorization: string | undefined) => ({
  method: "GET",
  target: "/edgekv/v1/tokens",
  headers: authorization === undefined ? {} : { authorization },
  rawHeaders: [],
  query: {},
});

describe("the client token an Authorization header names", () => {
  it.each([
    [
      "a whole EdgeGrid header",
      "EG1-HMAC-SHA256 client_token=akab-c;access_token=akab-a;timestamp=20261128T12:00:00+0000;nonce=n;signature=s=",
      "akab-c",
    ],
    ["fields out of order", "EG1-HMAC-SHA256 signature=s;client_token=akab-c", "akab-c"],
    ["spaces around the field", "EG1-HMAC-SHA256 nonce=n; client_token = akab-c ;signature=s", "akab-c"],
    ["no client token", "EG1-HMAC-SHA256 access_token=akab-a;signature=s", null],
    ["an empty client token", "EG1-HMAC-SHA256 client_token=;signature=s", null],
    ["a client token too long to be one", `EG1-HMAC-SHA256 client_token=${"a".repeat(129)}`, null],
    ["another scheme", "Bearer client_token=akab-c", null],
    ["no header", undefined, null],
  ])("%s", (_case, authorization, expected) => {
    expect(namedClientToken(head(authorization))).toBe(expected);
  });
});
