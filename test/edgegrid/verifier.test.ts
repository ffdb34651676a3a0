import { describe, expect, it } from "vitest";
import {
  createVerifier,
  formatTimestamp,
  parseAuthorization,
  type ReceivedRequest,
  requestSignature,
  signRequest,
} from "../../src/edgegrid/index.ts";
import { ApiError, type ErrorCode } from "../../src/errors.ts";
import { depsFor, fieldOf, type TestClient, withField } from "./verifier-harness.ts";

const NOW = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));
const HOST = "akab-host.luna.akamaiapis.net";
const TOKEN = "akab-client-1";
const DISABLED = "akab-client-off";
const ALICE: TestClient = {
  name: "alice",
  clientSecret: "alice-secret=",
  accessToken: "akab-access-1",
  enabled: true,
};
const OFF: TestClient = {
  name: "off",
  clientSecret: "off-secret=",
  accessToken: "akab-access-off",
  enabled: false,
};
const CLIENTS = { [TOKEN]: ALICE, [DISABLED]: OFF };

const at = (secondsFromNow: number) => formatTimestamp(new Date(NOW.getTime() + secondsFromNow * 1000));

interface Case {
  clientToken?: string;
  accessToken?: string;
  clientSecret?: string;
  timestamp?: string;
  nonce?: string;
}

function signed(overrides: Case = {}): ReceivedRequest {
  const body = Buffer.from('{"value":"x"}');
  const authorization = signRequest({
    credentials: {
      clientToken: overrides.clientToken ?? TOKEN,
      clientSecret: overrides.clientSecret ?? ALICE.clientSecret,
      accessToken: overrides.accessToken ?? ALICE.accessToken,
    },
    method: "POST",
    host: HOST,
    target: "/edgekv/v1/networks/staging/namespaces?x=1",
    body,
    timestamp: overrides.timestamp ?? at(0),
    nonce: overrides.nonce ?? "nonce-1",
  });
  return {
    authorization,
    method: "POST",
    host: HOST,
    target: "/edgekv/v1/networks/staging/namespaces?x=1",
    headers: [["Content-Type", "application/json"]],
    body,
  };
}

const setup = (maxSkewSeconds: number | null = 30) => {
  const harness = depsFor({ clients: CLIENTS, now: () => NOW, maxSkewSeconds });
  return { ...harness, verifier: createVerifier(harness.deps) };
};

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

const MISSING: [ErrorCode, string] = ["auth_missing", "Missing or malformed Authorization header"];
const TIMESTAMP: [ErrorCode, string] = ["auth_timestamp", "Invalid timestamp"];
const SIGNATURE: [ErrorCode, string] = ["auth_signature", "The signature does not match"];

describe("verifier rejects bad requests", () => {
  const good = signed();
  const header = good.authorization ?? "";
  it.each<[string, ReceivedRequest, ErrorCode, string]>([
    ["missing header", { ...good, authorization: undefined }, ...MISSING],
    ["empty header", { ...good, authorization: "" }, ...MISSING],
    [
      "wrong scheme word",
      { ...good, authorization: header.replace("EG1-HMAC-SHA256", "EG1-HMAC-SHA1") },
      ...MISSING,
    ],
    [
      "fields out of order",
      {
        ...good,
        authorization: header.replace(/timestamp=([^;]*);nonce=([^;]*);/, "nonce=$2;timestamp=$1;"),
      },
      ...MISSING,
    ],
    ["missing field", { ...good, authorization: header.replace(/nonce=[^;]*;/, "") }, ...MISSING],
    ["extra trailing ';'", { ...good, authorization: `${header};` }, ...MISSING],
    ["garbled timestamp", signed({ timestamp: "2025-06-01T12:00:00Z" }), ...TIMESTAMP],
    ["impossible date", signed({ timestamp: "20250231T12:00:00+0000" }), ...TIMESTAMP],
    ["timestamp 31 s old", signed({ timestamp: at(-31) }), ...TIMESTAMP],
    ["timestamp 31 s in the future", signed({ timestamp: at(31) }), ...TIMESTAMP],
    ["unknown client", signed({ clientToken: "akab-nobody" }), "auth_unknown_client", "Invalid client token"],
    ["disabled client", signed({ clientToken: DISABLED }), "auth_inactive_client", "Inactive client token"],
    [
      "wrong access token",
      signed({ accessToken: "akab-access-2" }),
      "auth_access_token",
      "Invalid access token",
    ],
    [
      "access token prefix",
      signed({ accessToken: "akab-access-" }),
      "auth_access_token",
      "Invalid access token",
    ],
    ["wrong secret", signed({ clientSecret: "other-secret=" }), ...SIGNATURE],
    ["tampered target", { ...good, target: "/edgekv/v1/networks/production/namespaces?x=1" }, ...SIGNATURE],
    ["tampered body", { ...good, body: Buffer.from('{"value":"y"}') }, ...SIGNATURE],
    ["missing body", (({ body: _body, ...rest }) => rest)(good), ...SIGNATURE],
    ["missing Host header", { ...good, host: undefined }, ...SIGNATURE],
    ["other Host", { ...good, host: `${HOST}:8443` }, ...SIGNATURE],
  ])("%s", async (_name, request, code, message) => {
    const { verifier, nonceCalls } = setup();
    const error = await failure(verifier.verify(request));
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(nonceCalls).toEqual([]);
    if (code === "auth_signature") {
      expect(error.headers).toEqual({ "WWW-Authenticate": `EG1-HMAC-SHA256 realm="${request.host ?? ""}"` });
      expect(error.rule.status).toBe(401);
    } else {
      expect(error.headers).toEqual({});
    }
  });

  it("answers 400 for timestamp and unknown-client failures and 401 for the others", async () => {
    const { verifier } = setup();
    expect((await failure(verifier.verify(signed({ timestamp: at(-31) })))).rule.status).toBe(400);
    expect((await failure(verifier.verify(signed({ clientToken: "akab-x" })))).rule.status).toBe(400);
    expect((await failure(verifier.verify(signed({ clientToken: DISABLED })))).rule.status).toBe(401);
    expect((await failure(verifier.verify({ ...good, authorization: undefined }))).rule.status).toBe(401);
  });

  it("checks the timestamp before looking the client up", async () => {
    const { verifier, lookups } = setup();
    const error = await failure(verifier.verify(signed({ clientToken: "akab-nobody", timestamp: at(-60) })));
    expect(error.code).toBe("auth_timestamp");
    expect(lookups).toEqual([]);
  });
});

describe("verifier accepts", () => {
  it.each([
    ["now", 0],
    ["29 s old", -29],
    ["29 s in the future", 29],
    ["exactly 30 s old", -30],
    ["exactly 30 s in the future", 30],
  ])("a timestamp %s with skew 30", async (_name, offset) => {
    const { verifier } = setup();
    const verified = await verifier.verify(signed({ timestamp: at(offset) }));
    expect(verified).toEqual({
      client: ALICE,
      clientToken: TOKEN,
      nonce: "nonce-1",
      timestamp: new Date(NOW.getTime() + offset * 1000),
    });
  });

  it("any timestamp when the skew check is off", async () => {
    const { verifier, nonceCalls } = setup(null);
    const verified = await verifier.verify(signed({ timestamp: "20140321T19:34:21+0000" }));
    expect(verified.timestamp.toISOString()).toBe("2014-03-21T19:34:21.000Z");
    expect(nonceCalls).toHaveLength(1);
    expect(nonceCalls[0]?.expiresAt.getTime()).toBeGreaterThan(NOW.getTime());
  });

  it("a Host differing only in case", async () => {
    const { verifier } = setup();
    await expect(verifier.verify({ ...signed(), host: HOST.toUpperCase() })).resolves.toMatchObject({
      clientToken: TOKEN,
    });
  });
});

describe("nonces", () => {
  it("rejects the same nonce twice", async () => {
    const { verifier } = setup();
    await expect(verifier.verify(signed({ nonce: "once" }))).resolves.toMatchObject({ nonce: "once" });
    const error = await failure(verifier.verify(signed({ nonce: "once", timestamp: at(1) })));
    expect(error.code).toBe("auth_nonce_reused");
    expect(error.message).toBe("Nonce has already been used");
    expect(error.rule.status).toBe(401);
  });

  it("does not remember a nonce when the signature is wrong", async () => {
    const { verifier, nonceCalls } = setup();
    const forged = signed({ nonce: "victim", clientSecret: "guessed=" });
    expect((await failure(verifier.verify(forged))).code).toBe("auth_signature");
    expect(nonceCalls).toEqual([]);
    await expect(verifier.verify(signed({ nonce: "victim" }))).resolves.toMatchObject({ nonce: "victim" });
  });

  it("keeps a nonce beyond the timestamp window", async () => {
    const { verifier, nonceCalls } = setup(30);
    await verifier.verify(signed({ timestamp: at(-10) }));
    expect(nonceCalls).toEqual([
      { clientToken: TOKEN, nonce: "nonce-1", expiresAt: new Date(NOW.getTime() + (30 + 60) * 1000) },
    ]);
  });

  it("scopes nonces per client token", async () => {
    const bob: TestClient = {
      name: "bob",
      clientSecret: "bob=",
      accessToken: "akab-access-bob",
      enabled: true,
    };
    const harness = depsFor({ clients: { ...CLIENTS, "akab-bob": bob }, now: () => NOW, maxSkewSeconds: 30 });
    const verifier = createVerifier(harness.deps);
    await verifier.verify(signed({ nonce: "shared" }));
    const request = signed({
      nonce: "shared",
      clientToken: "akab-bob",
      clientSecret: "bob=",
      accessToken: bob.accessToken,
    });
    await expect(verifier.verify(request)).resolves.toMatchObject({ client: bob });
  });
});

describe("the unsigned part is signed as received", () => {
  it("rejects a signature computed over a differently built unsigned part", async () => {
    const { verifier } = setup();
    const request = signed();
    const parsed = parseAuthorization(request.authorization);
    if (parsed === null) throw new Error("unparsable test header");
    // A client that left the trailing ';' out of the signed data (AkamaiOPEN-edgegrid-C-Sharp#29).
    const sloppy = requestSignature({
      clientSecret: ALICE.clientSecret,
      timestamp: parsed.timestamp,
      unsignedPart: parsed.unsignedPart.slice(0, -1),
      method: request.method,
      host: HOST,
      target: request.target,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      headersToSign: [],
      maxBody: 131072,
    });
    const authorization = withField(request.authorization ?? "", "signature", sloppy);
    expect(fieldOf(authorization, "signature")).toBe(sloppy);
    expect((await failure(verifier.verify({ ...request, authorization }))).code).toBe("auth_signature");
  });
});

describe("createVerifier", () => {
  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("refuses maxSkewSeconds %s", (maxSkewSeconds) => {
    expect(() => createVerifier(depsFor({ clients: {}, now: () => NOW, maxSkewSeconds }).deps)).toThrow(
      /maxSkewSeconds/,
    );
  });
});
