import { readFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { homedir } from "node:os";
import { credentialsFromEnv, readEdgercSection, signRequest } from "../edgegrid/index.ts";
import { UserError } from "./user-error.ts";

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
  const path = edgerc ?? env.AKAMAI_EDGERC ?? `${homedir()}/.edgerc`;
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
    return readEdgercSection({ text, section: name, path });
  } catch (error) {
    throw new UserError((error as Error).message);
  }
}

export interface SignedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends one EdgeGrid-signed HTTPS request. */
export async function sendSigned({
  credentials,
  method,
  target,
  body,
  ca,
  headers = {},
}: {
  credentials: ClientCredentials;
  method: string;
  target: string;
  body?: Buffer;
  ca?: string;
  headers?: Record<string, string>;
}): Promise<SignedResponse> {
  const host = credentials.host.replace(/^https?:\/\//, "").replace(/\/+$/, "");
  const authorization = signRequest({
    credentials,
    method,
    host,
    target,
    ...(body === undefined ? {} : { body }),
  });
  const url = new URL(`https://${host}`);
  return new Promise((resolveResponse, reject) => {
    const outgoing = httpsRequest(
      {
        host: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port === "" ? 443 : Number(url.port),
        method,
        path: target,
        headers: {
          ...headers,
          Host: host,
          Authorization: authorization,
          ...(body === undefined ? {} : { "Content-Length": String(body.length) }),
        },
        ...(ca === undefined ? {} : { ca }),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolveResponse({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        response.on("error", reject);
      },
    );
    outgoing.on("error", (error: NodeJS.ErrnoException) => reject(describeNetworkError(error, host)));
    outgoing.end(body);
  });
}

function describeNetworkError(error: NodeJS.ErrnoException, host: string): UserError {
  const code = error.code ?? "";
  if (code === "ECONNREFUSED") {
    return new UserError(`Cannot connect to ${host}: connection refused. Is the server running (npm start)?`);
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new UserError(`Cannot resolve ${host}. Check the host line of your .edgerc.`);
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    return new UserError(
      `The TLS certificate of ${host} is not trusted (${code}). For a local server pass --ca-cert .edgekv/tls/cert.pem ` +
        "or set NODE_EXTRA_CA_CERTS to that file.",
    );
  }
  return new UserError(`Request to ${host} failed: ${error.message}`);
}
