import { describe, expect, it } from "vitest";
import {
  credentialsFromEnv,
  parseEdgerc,
  readEdgercSection,
  upsertEdgercSection,
} from "../../src/edgegrid/index.ts";

const FILE = `# my credentials
[default]
host = akab-one.luna.akamaiapis.net
client_token = ct1
client_secret = "cs1="
access_token = at1
max-body = 131072

; staging
[staging]
host=127.0.0.1:8443
client_token=ct2
client_secret=cs2=
access_token=at2
headers_to_sign = X-A, X-B
`;

describe(".edgerc", () => {
  it("parses sections, quotes, comments and dashed keys", () => {
    const sections = parseEdgerc(FILE);
    expect([...sections.keys()]).toEqual(["default", "staging"]);
    expect(sections.get("default")).toEqual({
      host: "akab-one.luna.akamaiapis.net",
      client_token: "ct1",
      client_secret: "cs1=",
      access_token: "at1",
      max_body: "131072",
    });
  });

  it("reads one section's credentials", () => {
    expect(readEdgercSection({ text: FILE, section: "staging" })).toEqual({
      host: "127.0.0.1:8443",
      clientToken: "ct2",
      clientSecret: "cs2=",
      accessToken: "at2",
      headersToSign: ["X-A", "X-B"],
    });
    expect(readEdgercSection({ text: FILE, section: "default" }).maxBody).toBe(131072);
  });

  it.each([
    [
      "an unknown section",
      FILE,
      "prod",
      /Section \[prod\] not found in \/home\/u\/.edgerc; it has: \[default\], \[staging\]/,
    ],
    ["an empty file", "", "default", /the file has no sections/],
    ["missing keys", "[default]\nhost = h\n", "default", /lacks client_token, client_secret, access_token/],
  ])("says what is wrong with %s", (_case, text, section, message) => {
    expect(() => readEdgercSection({ text, section, path: "/home/u/.edgerc" })).toThrow(message);
  });

  it("reads AKAMAI_* variables as Akamai's clients do", () => {
    const env = {
      AKAMAI_HOST: "h",
      AKAMAI_CLIENT_TOKEN: "ct",
      AKAMAI_CLIENT_SECRET: "cs",
      AKAMAI_ACCESS_TOKEN: "at",
      AKAMAI_MY_SECTION_HOST: "h2",
      AKAMAI_MY_SECTION_CLIENT_TOKEN: "ct2",
      AKAMAI_MY_SECTION_CLIENT_SECRET: "cs2",
      AKAMAI_MY_SECTION_ACCESS_TOKEN: "at2",
    };
    expect(credentialsFromEnv(env, "default")).toEqual({
      host: "h",
      clientToken: "ct",
      clientSecret: "cs",
      accessToken: "at",
    });
    expect(credentialsFromEnv(env, "my-section")?.host).toBe("h2");
    expect(credentialsFromEnv({ AKAMAI_HOST: "h" }, "default")).toBeNull();
  });

  it("replaces one section and leaves the others byte for byte", () => {
    const values = { host: "127.0.0.1:9443", client_token: "n", client_secret: "s", access_token: "a" };
    const replacedFirst = upsertEdgercSection({ text: FILE, section: "default", values });
    expect(replacedFirst.startsWith("# my credentials\n[default]\nhost = 127.0.0.1:9443\n")).toBe(true);
    expect(replacedFirst.endsWith(FILE.slice(FILE.indexOf("; staging")))).toBe(true);
    const replacedLast = upsertEdgercSection({ text: FILE, section: "staging", values });
    expect(replacedLast.startsWith(FILE.slice(0, FILE.indexOf("[staging]")))).toBe(true);
    expect(readEdgercSection({ text: replacedLast, section: "staging" }).host).toBe("127.0.0.1:9443");
    expect(replacedLast.endsWith("access_token = a\n")).toBe(true);
    const appended = upsertEdgercSection({ text: FILE, section: "new", values });
    expect(appended.startsWith(FILE)).toBe(true);
    expect(parseEdgerc(appended).get("new")).toEqual(values);
    expect(upsertEdgercSection({ section: "default", values })).toBe(
      "[default]\nhost = 127.0.0.1:9443\nclient_token = n\nclient_secret = s\naccess_token = a\n",
    );
    expect(upsertEdgercSection({ text: replacedLast, section: "staging", values })).toBe(replacedLast);
  });
});
