/** One request with its EdgeGrid Authorization header; sending it must not change a byte. */
export interface SignedRequest {
  method: string;
  /** `host[:port]` as signed, without scheme. */
  host: string;
  /** Path and query as signed. */
  target: string;
  /** Every header to send, Host and Authorization included. */
  headers: Record<string, string>;
  body?: Buffer;
  /** A CA certificate to trust besides the system's (HTTPS only). */
  ca?: string;
  /** How long to wait for the answer; unlimited when absent. */
  timeoutMs?: number;
}

export interface SignedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends one signed request: HTTPS in the binary, the app's inject() in tests. */
export type Transport = (request: SignedRequest) => Promise<SignedResponse>;
