import { describe, expect, it } from "vitest";
import {
  canonicalHeaders,
  createVerifier,
  formatTimestamp,
  type ReceivedRequest,
  signRequest,
} from "../../src/edgegrid/index.ts";
import { ApiError, type ErrorCode } from "../../src/errors.ts";
import { type SeededRandom, seededRandom } from "./seeded-random.ts";
import { depsFor, fieldOf, type TestClient, withField } from "./verifier-harness.ts";

const SEED = 0x5eed_e6e1;
const CASES = 300;
const SKEW = 30;

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const TOKEN_CHARS = `${LOWER}${DIGITS}-`;
const HOST_CHARS = `${LOWER}${LOWER.toUpperCase()}${DIGITS}-.`;
const PATH_CHARS = `${LOWER}${DIGITS}/-._~%!$&'()*+,;=:@`;
const QUERY_CHARS = `${PATH_CHARS}?/[]`;
const BASE64 = `${LOWER}${LOWER.toUpperCase()}${DIGITS}+/`;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
const SIGNABLE = ["X-A", "X-B", "X-C"] as const;

interface GeneratedCase {
  readonly client: TestClient;
  readonly clientToken: string;
  readonly headersToSign: readonly string[];
  readonly maxBody: number;
  readonly now: Date;
  readonly request: ReceivedRequest & { authorization: string };
}

function generate(random: SeededRandom, index: number): GeneratedCase {
  const clientToken = `akab-${random.string(TOKEN_CHARS, 4, 24)}-${index}`;
  const client: TestClient = {
    name: `client-${index}`,
    clientSecret: random.chance(0.8)
      ? Buffer.from(random.bytes(32)).toString("base64")
      : random.string(`${BASE64}=é€ 😀`, 1, 50),
    accessToken: `akab-${random.string(TOKEN_CHARS, 4, 24)}`,
    enabled: true,
  };
  const method = random.chance(0.45) ? "POST" : random.pick(METHODS);
  const port = random.chance(0.3) ? `:${random.int(1, 65535)}` : "";
  const host = `${random.string(HOST_CHARS, 1, 30)}${port}`;
  const path = random.chance(0.05) ? "" : `/${random.string(PATH_CHARS, 0, 40)}`;
  const target = random.chance(0.5) ? `${path || "/"}?${random.string(QUERY_CHARS, 0, 40)}` : path;
  const headers: Array<readonly [string, string]> = Array.from({ length: random.int(0, 5) }, () => [
    random.pick([...SIGNABLE, "x-a", "Content-Type", "X-Unsigned"]),
    `${random.string(" \t", 0, 2)}${random.string(`${LOWER}${DIGITS} \t`, 1, 20)}${random.string(" \t", 0, 2)}`,
  ]);
  const headersToSign = SIGNABLE.filter(() => random.chance(0.5)).map((name) =>
    random.chance(0.5) ? name.toLowerCase() : name,
  );
  const maxBody = random.pick([1, 2, 16, 64, 2048, 131072]);
  const hasBody = method === "POST" ? random.chance(0.9) : random.chance(0.3);
  const body = hasBody ? random.bytes(random.int(method === "POST" ? 1 : 0, 200)) : undefined;
  const stamp = new Date(Date.UTC(2000, 0, 1) + random.int(0, 100 * 365 * 86400) * 1000);
  const timestamp = formatTimestamp(stamp);
  // Keep a second of room so a one-second timestamp change stays inside the window.
  const now = new Date(stamp.getTime() + random.int(-(SKEW - 2), SKEW - 2) * 1000 + random.int(0, 999));
  const nonce = random.chance(0.7) ? crypto.randomUUID() : random.string(`${TOKEN_CHARS}=_.`, 1, 40);
  const authorization = signRequest({
    credentials: { clientToken, clientSecret: client.clientSecret, accessToken: client.accessToken },
    method,
    host,
    target,
    headers,
    ...(body === undefined ? {} : { body }),
    headersToSign,
    maxBody,
    timestamp,
    nonce,
  });
  // The wire may carry a differently cased method or host; both are signed normalised.
  const sent = {
    authorization,
    method: random.chance(0.2) ? method.toLowerCase() : method,
    host: random.chance(0.2) ? host.toUpperCase() : host,
    target,
    headers,
    ...(body === undefined ? {} : { body }),
  };
  return { client, clientToken, headersToSign, maxBody, now, request: sent };
}

const random = seededRandom(SEED);
const cases = Array.from({ length: CASES }, (_, index) => generate(random, index));

async function outcome(generated: GeneratedCase, request: ReceivedRequest): Promise<ErrorCode | "accepted"> {
  const { deps } = depsFor({
    clients: { [generated.clientToken]: generated.client },
    now: () => generated.now,
    maxSkewSeconds: SKEW,
    headersToSign: generated.headersToSign,
    maxBody: generated.maxBody,
  });
  try {
    await createVerifier(deps).verify(request);
    return "accepted";
  } catch (error) {
    if (error instanceof ApiError) return error.code;
    throw error;
  }
}

/** Replaces the character at `index` with a different one from `alphabet` (compared by `key`). */
function changeCharAt(text: string, index: number, alphabet: string, key = (c: string) => c): string {
  const current = text[index] ?? "";
  const replacement = random.pick([...alphabet].filter((candidate) => key(candidate) !== key(current)));
  return `${text.slice(0, index)}${replacement}${text.slice(index + 1)}`;
}

type Mutation = (generated: GeneratedCase) => ReceivedRequest | null;

const isPost = (generated: GeneratedCase) => generated.request.method.toUpperCase() === "POST";

const mutations: Array<[string, Mutation, ErrorCode | "accepted"]> = [
  [
    "the method",
    ({ request }) => ({
      ...request,
      method: random.pick(METHODS.filter((method) => method !== request.method.toUpperCase())),
    }),
    "auth_signature",
  ],
  [
    "one character of the host",
    ({ request }) => {
      const host = request.host ?? "";
      return {
        ...request,
        host: changeCharAt(host, random.int(0, host.length - 1), `${LOWER}${DIGITS}-.:`, (c) =>
          c.toLowerCase(),
        ),
      };
    },
    "auth_signature",
  ],
  [
    "one character of the target",
    ({ request }) =>
      request.target === ""
        ? null
        : {
            ...request,
            target: changeCharAt(request.target, random.int(0, request.target.length - 1), QUERY_CHARS),
          },
    "auth_signature",
  ],
  [
    "one POST body byte within maxBody",
    (generated) => {
      const { body } = generated.request;
      if (!isPost(generated) || body === undefined || body.length === 0) return null;
      const changed = Uint8Array.from(body);
      const index = random.int(0, Math.min(generated.maxBody, body.length) - 1);
      changed[index] = (changed[index] ?? 0) ^ random.int(1, 255);
      return { ...generated.request, body: changed };
    },
    "auth_signature",
  ],
  [
    "a signed header value",
    ({ request, headersToSign }) => {
      const signed = canonicalHeaders({ headers: request.headers, headersToSign });
      if (signed === "") return null;
      const name = signed.split("\t")[0]?.split(":")[0] ?? "";
      const index = request.headers.findIndex(([candidate]) => candidate.toLowerCase() === name);
      const headers = request.headers.map(([key, value], at): readonly [string, string] =>
        at === index ? [key, `${value}${random.pick([...LOWER])}`] : [key, value],
      );
      return { ...request, headers };
    },
    "auth_signature",
  ],
  [
    "the timestamp by one second",
    ({ request }) => {
      const stamp = fieldOf(request.authorization, "timestamp");
      const moved = formatTimestamp(
        new Date(Date.parse(stamp.replace(/^(\d{4})(\d\d)(\d\d)T(.*)\+0000$/, "$1-$2-$3T$4Z")) + 1000),
      );
      return { ...request, authorization: withField(request.authorization, "timestamp", moved) };
    },
    "auth_signature",
  ],
  [
    "the nonce",
    ({ request }) => ({
      ...request,
      authorization: withField(request.authorization, "nonce", `${fieldOf(request.authorization, "nonce")}x`),
    }),
    "auth_signature",
  ],
  [
    "the client token",
    ({ request }) => ({
      ...request,
      authorization: withField(
        request.authorization,
        "client_token",
        `${fieldOf(request.authorization, "client_token")}x`,
      ),
    }),
    "auth_unknown_client",
  ],
  [
    "the access token",
    ({ request }) => {
      const token = fieldOf(request.authorization, "access_token");
      return {
        ...request,
        authorization: withField(
          request.authorization,
          "access_token",
          changeCharAt(token, random.int(0, token.length - 1), TOKEN_CHARS),
        ),
      };
    },
    "auth_access_token",
  ],
  [
    "one character of the signature",
    ({ request }) => {
      const signature = fieldOf(request.authorization, "signature");
      return {
        ...request,
        authorization: withField(
          request.authorization,
          "signature",
          changeCharAt(signature, random.int(0, 42), BASE64),
        ),
      };
    },
    "auth_signature",
  ],
  [
    "a POST body byte after maxBody (not signed)",
    (generated) => {
      const { body } = generated.request;
      if (!isPost(generated) || body === undefined || body.length <= generated.maxBody) return null;
      const changed = Uint8Array.from(body);
      const index = random.int(generated.maxBody, body.length - 1);
      changed[index] = (changed[index] ?? 0) ^ random.int(1, 255);
      return { ...generated.request, body: changed };
    },
    "accepted",
  ],
  [
    "the body of a non-POST request (not signed)",
    (generated) =>
      isPost(generated)
        ? null
        : { ...generated.request, body: Uint8Array.from([...(generated.request.body ?? []), 1]) },
    "accepted",
  ],
  [
    "an unsigned header",
    ({ request }) => ({ ...request, headers: [...request.headers, ["X-Unsigned-Extra", "anything"]] }),
    "accepted",
  ],
  [
    "the case of the host",
    ({ request }) => ({ ...request, host: (request.host ?? "").toLowerCase() }),
    "accepted",
  ],
];

describe(`generated requests (seed ${SEED}, ${CASES} cases)`, () => {
  it("are all accepted as signed", async () => {
    const results = await Promise.all(cases.map((generated) => outcome(generated, generated.request)));
    expect(results.filter((result) => result !== "accepted")).toEqual([]);
    expect(cases.filter(isPost).length).toBeGreaterThan(100);
  });

  it.each(mutations)("changing %s gives %s", async (_name, mutate, expected) => {
    let applied = 0;
    for (const [index, generated] of cases.entries()) {
      const mutated = mutate(generated);
      if (mutated === null) continue;
      applied += 1;
      const result = await outcome(generated, mutated);
      if (result !== expected) {
        throw new Error(
          `case ${index} (seed ${SEED}): expected ${expected}, got ${result}: ${JSON.stringify({ ...mutated, body: undefined })}`,
        );
      }
    }
    expect(applied).toBeGreaterThanOrEqual(40);
  });
});
