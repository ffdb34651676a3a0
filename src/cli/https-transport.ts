import type { SignedRequest, SignedResponse } from "./transport.ts";
import { UserError } from "./user-error.ts";

/** The binary's transport: one HTTPS request, with network failures turned into what to do. */
export async function httpsTransport({
  method,
  host,
  target,
  headers,
  body,
  ca,
  timeoutMs,
}: SignedRequest): Promise<SignedResponse> {
  // Loaded by the first request rather than at start-up: https and tls are a good part of what
  // `edgekv --version` and `--help` would otherwise load.
  const { request: httpsRequest } = await import("node:https");
  const url = new URL(`https://${host}`);
  return new Promise((resolveResponse, reject) => {
    const outgoing = httpsRequest(
      {
        host: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port === "" ? 443 : Number(url.port),
        method,
        path: target,
        headers,
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
    let timedOut: number | null = null;
    if (timeoutMs !== undefined) {
      outgoing.setTimeout(timeoutMs, () => {
        timedOut = timeoutMs;
        outgoing.destroy(new Error("timed out"));
      });
    }
    outgoing.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        timedOut !== null
          ? new UserError(
              `No answer from ${host} within ${timedOut / 1000} s; give it more time with --timeout <seconds>.`,
            )
          : describeNetworkError(error, host),
      ),
    );
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
