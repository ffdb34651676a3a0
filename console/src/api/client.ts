import { type Problem, problemOf } from "../lib/problem.ts";

/** Every path of the console API starts here (the page is `/_edgekv/console/`). */
export const API_BASE = "/_edgekv/console/api";

/** A 4xx or 5xx answer, or no answer at all (status 0). */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = "ApiError";
  }
}

export interface Answer<T> {
  readonly status: number;
  readonly data: T;
  readonly contentType: string;
}

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | undefined>>;
  /** A value to send as JSON; a string is sent as it is, as `text/plain` unless `json`. */
  readonly body?: unknown;
  /** The string body is JSON text already (an item's JSON value). */
  readonly json?: boolean;
  /** Answer the body's text as it is, even JSON (an item's value). */
  readonly raw?: boolean;
  /** Leave `accountSwitchKey` off (the console's own endpoints take no account). */
  readonly noAccount?: boolean;
}

export interface ApiDeps {
  /** Each answer's `X-EdgeKV-Time`. */
  onServerTime(iso: string): void;
  /** A 401 on any call but the login: the session is gone. */
  onSessionLost(problem: Problem): void;
  /** The account to act on when it is not the session's own. */
  accountSwitchKey(): string | null;
  fetch?: typeof fetch;
}

export type Api = ReturnType<typeof createApi>;

async function bodyOf(response: Response, raw: boolean): Promise<{ data: unknown; contentType: string }> {
  const contentType = response.headers.get("content-type") ?? "";
  if (response.status === 204) return { data: null, contentType };
  const text = await response.text();
  if (!raw && /json/i.test(contentType) && text !== "") {
    try {
      return { data: JSON.parse(text), contentType };
    } catch {
      return { data: text, contentType };
    }
  }
  return { data: text, contentType };
}

export function createApi(deps: ApiDeps) {
  const send = deps.fetch ?? ((input, init) => fetch(input, init));

  function url(path: string, options: RequestOptions): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) params.set(name, value);
    }
    const account = options.noAccount ? null : deps.accountSwitchKey();
    if (account !== null) params.set("accountSwitchKey", account);
    const query = params.toString();
    return `${API_BASE}${path}${query === "" ? "" : `?${query}`}`;
  }

  async function request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { Accept: "application/json, text/plain;q=0.9, */*;q=0.8" };
    let body: string | undefined;
    if (typeof options.body === "string") {
      headers["Content-Type"] = options.json ? "application/json" : "text/plain; charset=utf-8";
      body = options.body;
    } else if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    let response: Response;
    try {
      response = await send(url(path, options), {
        method,
        headers,
        credentials: "same-origin",
        cache: "no-store",
        ...(body === undefined ? {} : { body }),
      });
    } catch {
      throw new ApiError(problemOf(0, "The server did not answer. Is it running?"));
    }
    const time = response.headers.get("x-edgekv-time");
    if (time !== null) deps.onServerTime(time);
    const { data, contentType } = await bodyOf(response, options.raw === true && response.ok);
    if (!response.ok) {
      const problem = problemOf(response.status, data);
      if (response.status === 401 && path !== "/session") deps.onSessionLost(problem);
      throw new ApiError(problem);
    }
    return { status: response.status, data: data as T, contentType };
  }

  return {
    request,
    url,
    get: <T>(path: string, options?: RequestOptions) => request<T>("GET", path, options),
    post: <T>(path: string, body: unknown, options?: RequestOptions) =>
      request<T>("POST", path, { ...options, body }),
    put: <T>(path: string, body: unknown, options?: RequestOptions) =>
      request<T>("PUT", path, { ...options, body }),
    delete: <T>(path: string, options?: RequestOptions) => request<T>("DELETE", path, options),
  };
}

/** A message for any failure: the server's detail, or the error's own words. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.problem.detail;
  return error instanceof Error ? error.message : String(error);
}
