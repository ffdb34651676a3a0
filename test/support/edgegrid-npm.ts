import { Agent } from "node:https";
import EdgeGrid from "akamai-edgegrid";

export interface NpmResponse {
  status: number;
  headers: Record<string, string>;
  data: unknown;
}

interface AxiosLikeError {
  response?: { status: number; headers: Record<string, string>; data: unknown };
}

/** Sends what `eg.auth()` prepared, through Akamai's own client (axios underneath). */
export function sendPrepared(eg: EdgeGrid): Promise<NpmResponse> {
  return new Promise((resolve, reject) => {
    eg.send((error, response) => {
      if (error) {
        const failed = (error as AxiosLikeError).response;
        if (failed === undefined) reject(error);
        else resolve({ status: failed.status, headers: failed.headers, data: failed.data });
        return;
      }
      if (response === undefined) {
        reject(new Error("akamai-edgegrid returned neither a response nor an error"));
        return;
      }
      resolve({ status: response.status, headers: response.headers, data: response.data });
    });
  });
}

/** An EdgeGrid client for a `.edgerc` section, trusting `ca` for the server's certificate. */
export function npmClient({
  edgerc,
  section = "default",
  ca,
}: {
  edgerc: string;
  section?: string;
  ca: string;
}) {
  const eg = new EdgeGrid({ path: edgerc, section });
  const httpsAgent = new Agent({ ca, keepAlive: false });
  return {
    eg,
    request(input: { method: string; path: string; body?: unknown; headers?: Record<string, string> }) {
      eg.auth({ ...input, headers: input.headers ?? {}, httpsAgent });
      return sendPrepared(eg);
    },
  };
}
