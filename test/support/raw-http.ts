import { connect } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses one HTTP/1.1 response from the bytes a server sent before closing. */
export function parseRawResponse(text: string): RawResponse {
  const [head = "", ...rest] = text.split("\r\n\r\n");
  const [statusLine = "", ...headerLines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") };
}

/** Writes raw bytes to a plain-HTTP server and reads what comes back until the server closes. */
export function sendRaw(port: number, bytes: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve(parseRawResponse(Buffer.concat(chunks).toString("utf8"))));
    socket.write(bytes);
  });
}

/**
 * Writes raw bytes and resolves with the first complete response (headers and Content-Length
 * body), without waiting for the server to close; rejects after `timeoutMs` with no full response.
 */
export function firstResponse(port: number, bytes: string | Buffer, timeoutMs: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete response within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const text = received.toString("utf8");
      const end = text.indexOf("\r\n\r\n");
      if (end < 0) return;
      const response = parseRawResponse(text);
      if (Buffer.byteLength(response.body) < Number(response.headers["content-length"] ?? 0)) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(response);
    });
    socket.on("error", () => undefined);
    socket.write(bytes);
  });
}
