import { describe, expect, it } from "vitest";
import { formatTimestamp, parseAuthorization, parseTimestamp } from "../../src/edgegrid/index.ts";

const VALID =
  "EG1-HMAC-SHA256 client_token=akab-c;access_token=akab-a;timestamp=20140321T19:34:21+0000;nonce=n-1;signature=ab+/cd==";

describe("parseAuthorization", () => {
  it("splits the five fields and keeps the unsigned part verbatim", () => {
    expect(parseAuthorization(VALID)).toEqual({
      clientToken: "akab-c",
      accessToken: "akab-a",
      timestamp: "20140321T19:34:21+0000",
      nonce: "n-1",
      signature: "ab+/cd==",
      unsignedPart:
        "EG1-HMAC-SHA256 client_token=akab-c;access_token=akab-a;timestamp=20140321T19:34:21+0000;nonce=n-1;",
    });
  });

  it("accepts fields of up to 128 characters", () => {
    const nonce = "n".repeat(128);
    expect(parseAuthorization(VALID.replace("nonce=n-1", `nonce=${nonce}`))?.nonce).toBe(nonce);
  });

  it("splits each pair at its first '=' only", () => {
    const parsed = parseAuthorization(VALID.replace("nonce=n-1", "nonce=a=b"));
    expect(parsed?.nonce).toBe("a=b");
    expect(parsed?.signature).toBe("ab+/cd==");
    expect(parsed?.unsignedPart.endsWith("nonce=a=b;")).toBe(true);
  });

  it.each([
    ["undefined", undefined],
    ["empty", ""],
    ["scheme only", "EG1-HMAC-SHA256 "],
    ["other scheme", VALID.replace("EG1-HMAC-SHA256", "Bearer")],
    ["lower-case scheme", VALID.replace("EG1-HMAC-SHA256", "eg1-hmac-sha256")],
    ["two spaces after scheme", VALID.replace("EG1-HMAC-SHA256 ", "EG1-HMAC-SHA256  ")],
    ["no space after scheme", VALID.replace("EG1-HMAC-SHA256 ", "EG1-HMAC-SHA256")],
    ["trailing ';' after signature", `${VALID};`],
    [
      "fields out of order",
      VALID.replace("client_token=akab-c;access_token=akab-a", "access_token=akab-a;client_token=akab-c"),
    ],
    ["missing nonce", VALID.replace("nonce=n-1;", "")],
    ["extra field", VALID.replace("nonce=n-1;", "nonce=n-1;extra=1;")],
    ["empty value", VALID.replace("nonce=n-1", "nonce=")],
    ["pair without '='", VALID.replace("nonce=n-1", "nonce")],
    ["upper-case field name", VALID.replace("nonce=", "NONCE=")],
    ["space before field", VALID.replace(";nonce=", "; nonce=")],
    ["a 129-character nonce", VALID.replace("nonce=n-1", `nonce=${"n".repeat(129)}`)],
    ["a 12 KB nonce", VALID.replace("nonce=n-1", `nonce=${"n".repeat(12_288)}`)],
    [
      "a 129-character client token",
      VALID.replace("client_token=akab-c", `client_token=akab-${"c".repeat(124)}`),
    ],
    ["a 129-character signature", VALID.replace("signature=ab+/cd==", `signature=${"a".repeat(129)}`)],
  ])("rejects %s", (_name, header) => {
    expect(parseAuthorization(header)).toBeNull();
  });
});

describe("timestamps", () => {
  it.each([
    [new Date(Date.UTC(2014, 2, 21, 19, 34, 21)), "20140321T19:34:21+0000"],
    [new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 999)), "20240102T03:04:05+0000"],
    [new Date(Date.UTC(2000, 1, 29, 23, 59, 59)), "20000229T23:59:59+0000"],
  ])("formats %s as %s and parses it back", (date, text) => {
    expect(formatTimestamp(date)).toBe(text);
    expect(parseTimestamp(text)?.getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000);
  });

  it.each([
    "2014-03-21T19:34:21+0000",
    "20140321T19:34:21Z",
    "20140321T19:34:21+0100",
    "20140321T193421+0000",
    "20140321T19:34:21.000+0000",
    " 20140321T19:34:21+0000",
    "20140321T19:34:21+0000\n",
    "20140230T10:00:00+0000",
    "20130229T10:00:00+0000",
    "20141321T10:00:00+0000",
    "20140321T24:00:00+0000",
    "20140321T23:60:00+0000",
    "20140321T23:59:60+0000",
    "00000101T00:00:00+0000",
    "",
  ])("rejects %j", (text) => {
    expect(parseTimestamp(text)).toBeNull();
  });
});
