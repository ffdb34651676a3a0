import { request } from "node:https";
import { checkAgainstDocument } from "./openapi-check.ts";

export interface TokenEntry {
  name: string;
  reference?: string;
  value?: string;
}

/**
 * Talks to the data plane the way Akamai's `edgekv.js` helper library does: its URL layout under
 * `edgekv_uri`, its auth headers chosen from an `edgekv_tokens.js` entry, PUT of a string body with
 * no Content-Type, and a 404 answered by the default value.
 */
export function edgeClient({
  edgekvUri,
  namespace,
  group,
  token,
  ca,
}: {
  edgekvUri: string;
  namespace: string;
  group: string;
  token: TokenEntry;
  ca: string;
}) {
  const headers: Record<string, string> =
    token.reference !== undefined
      ? { "X-Akamai-EdgeDB-Auth-Ref": token.reference }
      : { "X-Akamai-EdgeDB-Auth": token.value ?? "" };
  const send = (method: string, item: string, body?: string) =>
    new Promise<{ status: number; body: string; contentType: string | undefined }>((resolve, reject) => {
      const url = new URL(`${edgekvUri}/api/v1/namespaces/${namespace}/groups/${group}/items/${item}`);
      const outgoing = request(url, { method, headers, ca }, (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          // Real data-plane responses over TLS must match the API document.
          checkAgainstDocument({
            method,
            url: url.pathname,
            status,
            headers: response.headers,
            body: text,
          }).then(
            () => resolve({ status, body: text, contentType: response.headers["content-type"] }),
            reject,
          );
        });
      });
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  const failed = (what: string, response: { status: number; body: string }) =>
    Object.assign(new Error(`${what} FAILED ${response.status}`), {
      failed: `${what} FAILED`,
      status: response.status,
      body: response.body,
    });
  return {
    send,
    async getText(item: string, defaultValue: string | null = null) {
      const response = await send("GET", item);
      if (response.status === 200) return response.body;
      if (response.status === 404) return defaultValue;
      throw failed("GET TEXT", response);
    },
    async getJson(item: string, defaultValue: unknown = null) {
      const response = await send("GET", item);
      if (response.status === 200) return JSON.parse(response.body) as unknown;
      if (response.status === 404) return defaultValue;
      throw failed("GET JSON", response);
    },
    async putText(item: string, value: string) {
      const response = await send("PUT", item, value);
      if (response.status !== 200) throw failed("PUT", response);
      return response.body;
    },
    async putJson(item: string, value: unknown) {
      const response = await send("PUT", item, JSON.stringify(value));
      if (response.status !== 200) throw failed("PUT", response);
      return response.body;
    },
    async delete(item: string) {
      const response = await send("DELETE", item);
      if (response.status !== 200) throw failed("DELETE", response);
      return true;
    },
  };
}
