import { readFileSync } from "node:fs";

export type VectorBody = { text: string } | { repeat: string; count: number } | { base64: string };

export interface AcceptVector {
  id: string;
  credentials: { client_token: string; client_secret: string; access_token: string };
  timestamp: string;
  nonce: string;
  headers_to_sign: string[];
  max_body: number;
  request: {
    method: string;
    host: string;
    target: string;
    headers: Array<[string, string]>;
    body: VectorBody | null;
  };
  expected: {
    authorization: string;
    signature: string;
    signing_key: string;
    content_hash: string;
    data_to_sign: string;
  };
  server_applicable: boolean;
}

export interface VectorFile {
  format: Record<string, string>;
  vectors: AcceptVector[];
  unit_vectors: [
    { id: string; client_secret: string; timestamp: string; expected_signing_key: string },
    { id: string; method: string; body: VectorBody; max_body: number; expected_content_hash: string },
  ];
}

const vectorFile = JSON.parse(
  readFileSync(new URL("../fixtures/edgegrid-vectors.json", import.meta.url), "utf8"),
) as VectorFile;

/** The wire bytes of a vector body, per the file's `format` key. */
export function vectorBody(body: VectorBody | null): Uint8Array | undefined {
  if (body === null) return undefined;
  if ("text" in body) return Buffer.from(body.text, "utf8");
  if ("repeat" in body) return Buffer.from(body.repeat.repeat(body.count), "utf8");
  return Buffer.from(body.base64, "base64");
}

export const credentialsOf = (vector: AcceptVector) => ({
  clientToken: vector.credentials.client_token,
  clientSecret: vector.credentials.client_secret,
  accessToken: vector.credentials.access_token,
});

export const FORMAT = vectorFile.format;
export const VECTORS = vectorFile.vectors;
export const UNIT_VECTORS = vectorFile.unit_vectors;
