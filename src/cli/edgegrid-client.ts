import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { credentialsFromEnv, readEdgercSection, signRequest } from "../edgegrid/index.ts";
import { httpsTransport } from "./https-transport.ts";
import type { SignedRequest, SignedResponse, Transport } from "./transport.ts";
import { UserError } from "./user-error.ts";

export type { SignedRequest, SignedResponse, Transport } from "./transport.ts";

export interface ClientCredentials {
  host: string;
  clientToken: string;
  clientSecret: string;
  accessToken: string;
}

/**
 * Credentials as Akamai's tools find them: the AKAMAI_* variables when all four are set, else the
 * section of `--edgerc`, `AKAMAI_EDGERC` or `~/.edgerc`.
 */
export async function loadCredentials({
  edgerc,
  section,
  env,
}: {
  edgerc: string | undefined;
  section: string | undefined;
  env: NodeJS.ProcessEnv;
}): Promise<ClientCredentials> {
  const name = section ?? env.AKAMAI_EDGERC_SECTION ?? "default";
  const fromEnv = credentialsFromEnv(env, name);
  if (fromEnv !== null) return fromEnv;
  return readEdgercFile(edgerc ?? env.AKAMAI_EDGERC ?? `${homedir()}/.edgerc`, name);
}

/** One section of an .edgerc file, or a UserError that says how to get one. */
export async function readEdgercFile(path: string, section: string): Promise<ClientCredentials> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UserError(
      `Cannot read the .edgerc file ${path} (${(error as NodeJS.ErrnoException).code ?? "error"}). ` +
        "Give one with --edgerc, or start a server with `npm start`, which writes .edgekv/edgerc.",
    );
  }
  try {
    return readEdgercSection({ text, section, path });
  } catch (error) {
    throw new UserError((error as Error).message);
  }
}

export interface RequestToSign {
  credentials: ClientCredentials;
  method: string;
  target: string;
  body?: Buffer;
  ca?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** Signs with the current time; the request is ready for any transport. */
export function signedRequest({
  credentials,
  method,
  target,
  body,
  ca,
  headers = {},
  timeoutMs,
}: RequestToSign): SignedRequest {
  const host = credentials.host.replace(/^https?:\/\//, "").replace(/\/+$/, "");
  const authorization = signRequest({
    credentials,
    method,
    host,
    target,
    ...(body === undefined ? {} : { body }),
  });
  return {
    method,
    host,
    target,
    headers: {
      ...headers,
      Host: host,
      Authorization: authorization,
      ...(body === undefined ? {} : { "Content-Length": String(body.length) }),
    },
    ...(body === undefined ? {} : { body }),
    ...(ca === undefined ? {} : { ca }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}

/** Signs one request and sends it (over HTTPS unless told otherwise). */
export function sendSigned(
  request: RequestToSign,
  transport: Transport = httpsTransport,
): Promise<SignedResponse> {
  return transport(signedRequest(request));
}
