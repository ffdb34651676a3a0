import { type ConnectionOptions, connect, SERVER_BASE } from "./api-client.ts";
import type { CliContext } from "./context.ts";

/**
 * POSTs a JSON body to one of edgekv-server's own endpoints (`/_edgekv/v1/...`, outside Akamai's
 * API base) and returns the JSON answer; a non-2xx answer is one line with the server's detail.
 * Credentials are found as every other command finds them, the local server's included.
 */
export async function postToServer(
  options: ConnectionOptions,
  context: Pick<CliContext, "env" | "transport" | "stderr" | "cwd">,
  { path, body }: { path: `${typeof SERVER_BASE}/${string}`; body: unknown },
): Promise<{ host: string; answer: unknown }> {
  const api = await connect(options, context);
  const answer = await api.json({
    method: "POST",
    base: SERVER_BASE,
    path: path.slice(SERVER_BASE.length),
    json: body,
  });
  return { host: api.host, answer };
}
