import { describe, expect, it } from "vitest";
import {
  canonicalHeaders,
  contentHash,
  dataToSign,
  parseAuthorization,
  signature,
  signingKey,
} from "../../src/edgegrid/index.ts";
import { UNIT_VECTORS, VECTORS, vectorBody } from "./vectors.ts";

const [signingKeyVector, contentHashVector] = UNIT_VECTORS;

describe("unit vectors", () => {
  it(`${signingKeyVector.id}: signing key`, () => {
    expect(signingKey(signingKeyVector.client_secret, signingKeyVector.timestamp)).toBe(
      signingKeyVector.expected_signing_key,
    );
  });

  it(`${contentHashVector.id}: content hash`, () => {
    const body = vectorBody(contentHashVector.body);
    expect(
      contentHash({
        method: contentHashVector.method,
        ...(body === undefined ? {} : { body }),
        maxBody: contentHashVector.max_body,
      }),
    ).toBe(contentHashVector.expected_content_hash);
  });
});

describe.each(VECTORS.map((vector) => [vector.id, vector] as const))("vector %s", (_id, vector) => {
  const body = vectorBody(vector.request.body);
  const hash = contentHash({
    method: vector.request.method,
    ...(body === undefined ? {} : { body }),
    maxBody: vector.max_body,
  });
  const data = dataToSign({
    method: vector.request.method,
    host: vector.request.host,
    target: vector.request.target,
    canonicalHeaders: canonicalHeaders({
      headers: vector.request.headers,
      headersToSign: vector.headers_to_sign,
    }),
    contentHash: hash,
    unsignedPart: parseAuthorization(vector.expected.authorization)?.unsignedPart ?? "unparsable",
  });

  it("computes the expected intermediates and data to sign", () => {
    expect(signingKey(vector.credentials.client_secret, vector.timestamp)).toBe(vector.expected.signing_key);
    expect(hash).toBe(vector.expected.content_hash);
    expect(data).toBe(vector.expected.data_to_sign);
  });

  it("signs the data to sign with the expected signature", () => {
    expect(
      signature({
        clientSecret: vector.credentials.client_secret,
        timestamp: vector.timestamp,
        dataToSign: data,
      }),
    ).toBe(vector.expected.signature);
  });
});

describe("contentHash", () => {
  const utf8 = (text: string) => Buffer.from(text, "utf8");
  const sha = (bytes: Uint8Array) => contentHash({ method: "POST", body: bytes, maxBody: 1 << 20 });

  it.each([
    ["GET", utf8("x")],
    ["PUT", utf8("x")],
    ["PATCH", utf8("x")],
    ["DELETE", utf8("x")],
    ["POST", utf8("")],
  ])("is empty for %s with body %j", (method, body) => {
    expect(contentHash({ method, body, maxBody: 10 })).toBe("");
  });

  it("is empty for a POST without body", () => {
    expect(contentHash({ method: "POST", maxBody: 10 })).toBe("");
  });

  it("hashes the first maxBody bytes, not characters", () => {
    const body = utf8("ééé");
    expect(contentHash({ method: "POST", body, maxBody: 3 })).toBe(sha(body.subarray(0, 3)));
    expect(contentHash({ method: "POST", body, maxBody: 3 })).not.toBe(sha(utf8("ééé".slice(0, 3))));
  });

  it("ignores bytes after maxBody", () => {
    expect(contentHash({ method: "POST", body: utf8("abcX"), maxBody: 3 })).toBe(
      contentHash({ method: "POST", body: utf8("abcY"), maxBody: 3 }),
    );
  });
});

describe("canonicalHeaders", () => {
  it.each([
    ["none configured", [["X-A", "1"]], [], ""],
    ["configured but absent", [["X-A", "1"]], ["X-B"], ""],
    ["case-insensitive match, lower-cased name", [["x-a", "1"]], ["X-A"], "x-a:1"],
    [
      "configured order, not request order",
      [
        ["X-B", "2"],
        ["X-A", "1"],
      ],
      ["X-A", "X-B"],
      "x-a:1\tx-b:2",
    ],
    [
      "absent ones skipped",
      [
        ["X-C", "3"],
        ["X-A", "1"],
      ],
      ["X-A", "X-B", "X-C"],
      "x-a:1\tx-c:3",
    ],
    ["value trimmed and runs collapsed", [["X-A", " \t a  \t b   c \t"]], ["X-A"], "x-a:a b c"],
    ["value case kept", [["X-A", "MiXeD"]], ["X-A"], "x-a:MiXeD"],
  ] as const)("%s", (_name, headers, headersToSign, expected) => {
    expect(canonicalHeaders({ headers, headersToSign })).toBe(expected);
  });
});

describe("dataToSign", () => {
  const base = { canonicalHeaders: "h", contentHash: "c", unsignedPart: "P;" };

  it("upper-cases the method, lower-cases the host, signs https and the raw target", () => {
    expect(
      dataToSign({ ...base, method: "post", host: "API.Example:8443", target: "/a%2Fb?x='1'&a=2" }),
    ).toBe("POST\thttps\tapi.example:8443\t/a%2Fb?x='1'&a=2\th\tc\tP;");
  });

  it("signs an empty target as /", () => {
    expect(dataToSign({ ...base, method: "GET", host: "h", target: "" })).toBe("GET\thttps\th\t/\th\tc\tP;");
  });
});
