import { readFile } from "node:fs/promises";
import { ApiResponseError, type ConnectionOptions, describeFailure, parseJsonText } from "./api-client.ts";
import type { CliContext } from "./context.ts";
import { loadCredentials, sendSigned } from "./edgegrid-client.ts";
import { UserError } from "./user-error.ts";

/**
 * POSTs a JSON body to one of edgekv-server's own endpoints (`/_edgekv/v1/...`, outside Akamai's
 * API base) and returns the JSON answer; a non-2xx answer is one line with the server's detail.
 */
export async function postToServer(
  options: ConnectionOptions,
  { env, transport }: Pick<CliContext, "env" | "transport">,
  { path, body }: { path: string; body: unknown },
): Promise<{ host: string; answer: unknown }> {
  const credentials = await loadCredentials({ edgerc: options.edgerc, section: options.section, env });
  let ca: string | undefined;
  if (options.caCert !== undefined) {
    ca = await readFile(options.caCert, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new UserError(`Cannot read the CA certificate ${options.caCert} (${error.code ?? "error"}).`);
    });
  }
  const query =
    options.accountkey === undefined ? "" : `?accountSwitchKey=${encodeURIComponent(options.accountkey)}`;
  const response = await sendSigned(
    {
      credentials,
      method: "POST",
      target: `${path}${query}`,
      body: Buffer.from(JSON.stringify(body), "utf8"),
      headers: { "Content-Type": "application/json" },
      ...(ca === undefined ? {} : { ca }),
    },
    transport,
  );
  const header = (name: string) => {
    const value = response.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  if (response.status < 200 || response.status > 299) {
    throw new ApiResponseError(
      response.status,
      describeFailure({
        status: response.status,
        text: response.body,
        traceId: header("x-trace-id"),
        retryAfter: header("retry-after"),
        host: credentials.host,
      }),
    );
  }
  const answer = parseJsonText(response.body);
  if (answer === undefined)
    throw new UserError(`${credentials.host} answered POST ${path} with something that is not JSON.`);
  return { host: credentials.host, answer };
}
