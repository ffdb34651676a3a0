import { describe, expect, it } from "vitest";
import {
  credentialsFromEnv,
  parseEdgerc,
  readEdgercSection,
  upsertEdgercSection,
} from "../../src/edgegrid/index.ts";

const VALUES = { host: "h:1", client_token: "ct", client_secret: "cs=", access_token: "at" };
const BLOCK = "[default]\nhost = h:1\nclient_token = ct\nclient_secret = cs=\naccess_token = at\n";

describe("parseEdgerc details", () => {
  it.each([
    ["splits at the first '='", "[s]\nclient_secret = ab==\n", { client_secret: "ab==" }],
    ["strips one pair of double quotes", '[s]\nk = ""q""\n', { k: '"q"' }],
    ["strips single quotes", "[s]\nk = 'v'\n", { k: "v" }],
    ["keeps unmatched quotes", "[s]\nk = \"v'\n", { k: "\"v'" }],
    ["trims keys and values", "[s]\n  k   =   v w  \n", { k: "v w" }],
    ["skips # and ; comment lines", "[s]\n# k = 1\n  ; k = 2\nk = 3\n", { k: "3" }],
    ["maps max-body to max_body", "[s]\nmax-body = 10\n", { max_body: "10" }],
    ["reads CRLF files", "[s]\r\nk = v\r\n", { k: "v" }],
    ["merges a repeated section, later lines winning", "[s]\na = 1\nb = 2\n[s]\nb = 3\n", { a: "1", b: "3" }],
    ["keeps __proto__ as plain data", "[s]\n__proto__ = x\n", { ["__proto__"]: "x" }],
  ])("%s", (_name, text, expected) => {
    const section = parseEdgerc(text).get("s");
    expect(section).toEqual(expected);
    expect(Object.getPrototypeOf(section)).toBe(Object.prototype);
  });

  it("ignores settings before the first section", () => {
    expect([...parseEdgerc("host = x\n[a]\nk = v\n")]).toEqual([["a", { k: "v" }]]);
  });
});

describe("readEdgercSection details", () => {
  it("names the file, section and every missing key, and says how to fix it", () => {
    expect(() =>
      readEdgercSection({ text: "[prod]\nhost = h\nclient_token =\n", section: "prod", path: "/etc/edgerc" }),
    ).toThrow(
      'Section [prod] of /etc/edgerc lacks client_token, client_secret, access_token. Add the missing lines with the values of your API client\'s credentials. Each section needs host, client_token, client_secret and access_token lines ("key = value").',
    );
  });

  it("says 'the .edgerc file' when no path is given", () => {
    expect(() => readEdgercSection({ text: BLOCK, section: "x" })).toThrow(
      /^Section \[x\] not found in the \.edgerc file; it has: \[default\]\. Add a \[x\] section/,
    );
  });

  it.each(["0", "-1", "1.5", "abc", ""])("rejects max_body %j", (value) => {
    expect(() => readEdgercSection({ text: `${BLOCK}max_body = ${value}\n`, section: "default" })).toThrow(
      /max_body in the \[default\] section of the \.edgerc file must be a positive whole number/,
    );
  });

  it("reads headers_to_sign as a trimmed comma-separated list", () => {
    expect(
      readEdgercSection({ text: `${BLOCK}headers_to_sign = X-A ,, x-b\n`, section: "default" }).headersToSign,
    ).toEqual(["X-A", "x-b"]);
  });
});

describe("credentialsFromEnv details", () => {
  const full = (prefix: string) => ({
    [`${prefix}HOST`]: "h",
    [`${prefix}CLIENT_TOKEN`]: "ct",
    [`${prefix}CLIENT_SECRET`]: "cs",
    [`${prefix}ACCESS_TOKEN`]: "at",
  });

  it.each([
    ["default", "AKAMAI_"],
    ["ccu", "AKAMAI_CCU_"],
    ["Staging", "AKAMAI_STAGING_"],
    ["my-section", "AKAMAI_MY-SECTION_"],
    ["my-section", "AKAMAI_MY_SECTION_"],
  ])("reads section %s from %s*", (section, prefix) => {
    expect(credentialsFromEnv(full(prefix), section)).toEqual({
      host: "h",
      clientToken: "ct",
      clientSecret: "cs",
      accessToken: "at",
    });
  });

  it.each([
    ["one variable missing", { ...full("AKAMAI_"), AKAMAI_ACCESS_TOKEN: undefined }, "default"],
    ["one variable empty", { ...full("AKAMAI_"), AKAMAI_HOST: "" }, "default"],
    ["only the default set, named section asked", full("AKAMAI_"), "ccu"],
    ["only a named section set, default asked", full("AKAMAI_CCU_"), "default"],
  ])("is null with %s", (_name, env, section) => {
    expect(credentialsFromEnv(env, section)).toBeNull();
  });
});

describe("upsertEdgercSection details", () => {
  it("writes a new file", () => {
    expect(upsertEdgercSection({ section: "default", values: VALUES })).toBe(BLOCK);
    expect(upsertEdgercSection({ text: "", section: "default", values: VALUES })).toBe(BLOCK);
  });

  it("appends after a file without a final newline, separated by a blank line", () => {
    expect(upsertEdgercSection({ text: "[a]\nk = v", section: "default", values: VALUES })).toBe(
      `[a]\nk = v\n\n${BLOCK}`,
    );
    expect(upsertEdgercSection({ text: "[a]\nk = v\n\n", section: "default", values: VALUES })).toBe(
      `[a]\nk = v\n\n${BLOCK}`,
    );
  });

  it("replaces in place, keeping comments and spacing around it byte for byte", () => {
    const before = "; top\r\n[a]\r\nk=v ; odd\r\n\r\n";
    const after = "# about b\r\n[b]\r\nx = 1\r\n";
    const text = `${before}[default]\r\nhost = old\r\n# inner note\r\nclient_token = old\r\n\r\n# trailing note\r\n${after}`;
    const block = BLOCK.replaceAll("\n", "\r\n");
    expect(upsertEdgercSection({ text, section: "default", values: VALUES })).toBe(
      `${before}${block}\r\n# trailing note\r\n${after}`,
    );
  });

  it("is idempotent, so callers can skip rewriting an unchanged file", () => {
    const once = upsertEdgercSection({ text: "[a]\nk = v\n", section: "default", values: VALUES });
    expect(upsertEdgercSection({ text: once, section: "default", values: VALUES })).toBe(once);
  });

  it("drops later duplicates of the section, which readers resolve differently", () => {
    const text = "[default]\nhost = 1\n\n[a]\nk = v\n\n[default]\nhost = 2\n";
    expect(upsertEdgercSection({ text, section: "default", values: VALUES })).toBe(
      `${BLOCK}\n[a]\nk = v\n\n`,
    );
  });

  it("matches the section name exactly, not a prefix", () => {
    const text = "[default-2]\nk = v\n";
    expect(upsertEdgercSection({ text, section: "default", values: VALUES })).toBe(`${text}\n${BLOCK}`);
  });

  it.each([
    ["a section name with ]", "a]b", VALUES],
    ["an empty section name", "", VALUES],
    ["a key with =", "s", { "a=b": "v" }],
    ["a value with a newline", "s", { host: "h\n[evil]" }],
    ["a value with a carriage return", "s", { host: "h\r" }],
  ])("refuses %s", (_name, section, values) => {
    expect(() => upsertEdgercSection({ section, values })).toThrow(
      /Cannot write|must not contain a line break/,
    );
  });

  it("round-trips through readEdgercSection", () => {
    const text = upsertEdgercSection({ text: "[other]\nk = v\n", section: "acme", values: VALUES });
    expect(readEdgercSection({ text, section: "acme" })).toEqual({
      host: "h:1",
      clientToken: "ct",
      clientSecret: "cs=",
      accessToken: "at",
    });
  });
});
