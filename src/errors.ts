/**
 * Every failure a caller can see is an ApiError with one of these codes. The table below is the
 * only place that decides status, body shape and EdgeKV error code; handlers and services throw,
 * and the HTTP error mapper renders.
 */
export type ErrorCode =
  // EdgeGrid authentication, answered in the API gateway's problem shape (no errorCode).
  | "auth_missing"
  | "auth_timestamp"
  | "auth_unknown_client"
  | "auth_inactive_client"
  | "auth_access_token"
  | "auth_signature"
  | "auth_nonce_reused"
  // EdgeKV service errors, answered as EdgeKV problem+json.
  | "validation"
  | "malformed_json"
  | "forbidden"
  | "route_not_found"
  | "method_not_allowed"
  | "payload_too_large"
  | "request_timeout"
  | "headers_too_large"
  | "token_not_found"
  | "token_conflict"
  | "token_expired"
  | "kv_validation"
  | "kv_namespace_missing"
  | "kv_not_authorized"
  | "kv_not_found"
  | "kv_conflict"
  | "kv_limit"
  | "kv_value_too_large"
  | "not_initialized"
  | "rate_limited"
  | "internal"
  // The web console's own (under /_edgekv/console): EdgeKV's problem shape, the code as errorCode.
  | "console_session"
  | "console_login"
  | "console_origin"
  | "console_conflict"
  | "console_missing"
  // The data plane (what edgekv.js calls): small JSON bodies, the helper library reads the status.
  | "dp_bad_request"
  | "dp_unauthorized"
  | "dp_forbidden"
  | "dp_not_found"
  | "dp_too_large";

export type ProblemKind =
  | "bad-request"
  | "not-found"
  | "conflict"
  | "unprocessable-entity"
  | "forbidden"
  | "method-not-allowed"
  | "payload-too-large"
  | "request-timeout"
  | "request-header-fields-too-large"
  | "too-many-requests"
  | "internal-server-error"
  | "unauthorized"
  | "service-unavailable";

export interface ErrorRule {
  readonly status: number;
  /** `gateway`: the EdgeGrid gateway's shape; `edgekv`: the EdgeKV service's; `dataplane`: the edge's. */
  readonly shape: "gateway" | "edgekv" | "dataplane";
  /** EdgeKV: the `errorCode`. Gateway: unused. */
  readonly errorCode: string;
  /** EdgeKV: the `type` suffix. Gateway: `deny` or `request-error`. */
  readonly kind: ProblemKind | "deny" | "request-error";
  /** The `title`; the HTTP reason phrase except where Akamai's own example differs (410). */
  readonly title: string;
}

const gateway = (status: number, kind: "deny" | "request-error", title: string): ErrorRule => ({
  status,
  shape: "gateway",
  errorCode: "",
  kind,
  title,
});

const dataplane = (status: number, kind: ProblemKind, title: string): ErrorRule => ({
  status,
  shape: "dataplane",
  errorCode: "",
  kind,
  title,
});

const edgekv = (status: number, errorCode: string, kind: ProblemKind, title: string): ErrorRule => ({
  status,
  shape: "edgekv",
  errorCode,
  kind,
  title,
});

export const ERROR_TABLE: Readonly<Record<ErrorCode, ErrorRule>> = {
  auth_missing: gateway(401, "deny", "Not authorized"),
  auth_timestamp: gateway(400, "request-error", "Bad request"),
  auth_unknown_client: gateway(400, "request-error", "Bad request"),
  auth_inactive_client: gateway(401, "deny", "Not authorized"),
  auth_access_token: gateway(401, "deny", "Not authorized"),
  auth_signature: gateway(401, "deny", "Not authorized"),
  auth_nonce_reused: gateway(401, "deny", "Not authorized"),

  validation: edgekv(400, "EKV_2000", "bad-request", "Bad Request"),
  malformed_json: edgekv(422, "EKV_2001", "unprocessable-entity", "Unprocessable Entity"),
  forbidden: edgekv(403, "EKV_1000", "forbidden", "Forbidden"),
  route_not_found: edgekv(404, "EKV_2000", "not-found", "Not Found"),
  method_not_allowed: edgekv(405, "EKV_2000", "method-not-allowed", "Method Not Allowed"),
  payload_too_large: edgekv(413, "EKV_2000", "payload-too-large", "Payload Too Large"),
  request_timeout: edgekv(408, "EKV_2000", "request-timeout", "Request Timeout"),
  headers_too_large: edgekv(
    431,
    "EKV_2000",
    "request-header-fields-too-large",
    "Request Header Fields Too Large",
  ),
  token_not_found: edgekv(404, "EKV_3000", "not-found", "Not Found"),
  token_conflict: edgekv(409, "EKV_3000", "conflict", "Conflict"),
  // Akamai's own 410 example keeps the not-found type and title.
  token_expired: edgekv(410, "EKV_3000", "not-found", "Not Found"),
  kv_validation: edgekv(400, "EKV_9000", "bad-request", "Bad Request"),
  // Akamai answers a missing namespace with 400, not 404.
  kv_namespace_missing: edgekv(400, "EKV_9000", "bad-request", "Bad Request"),
  kv_not_found: edgekv(404, "EKV_9000", "not-found", "Not Found"),
  // Akamai answers a reauthorization it refuses (no namespace, or no AUTHORIZE_NAMESPACE) this way.
  kv_not_authorized: edgekv(400, "EKV_1002", "bad-request", "Bad Request"),
  kv_conflict: edgekv(409, "EKV_3000", "conflict", "Conflict"),
  kv_limit: edgekv(413, "EKV_9000", "payload-too-large", "Payload Too Large"),
  kv_value_too_large: edgekv(413, "EKV_9000", "payload-too-large", "Payload Too Large"),
  not_initialized: edgekv(404, "EKV_9000", "not-found", "Not Found"),
  rate_limited: edgekv(429, "EKV_9100", "too-many-requests", "Too Many Requests"),
  internal: edgekv(500, "EKV_0000", "internal-server-error", "Internal Server Error"),
  console_session: edgekv(401, "console_session", "unauthorized", "Unauthorized"),
  console_login: edgekv(401, "console_login", "unauthorized", "Unauthorized"),
  console_origin: edgekv(403, "console_origin", "forbidden", "Forbidden"),
  console_conflict: edgekv(409, "console_conflict", "conflict", "Conflict"),
  console_missing: edgekv(503, "console_missing", "service-unavailable", "Service Unavailable"),
  dp_bad_request: dataplane(400, "bad-request", "Bad Request"),
  dp_unauthorized: dataplane(401, "forbidden", "Unauthorized"),
  dp_forbidden: dataplane(403, "forbidden", "Forbidden"),
  dp_not_found: dataplane(404, "not-found", "Not Found"),
  dp_too_large: dataplane(413, "payload-too-large", "Payload Too Large"),
};

/**
 * A problem outside the HTTP API that the user can fix: a setting, a file, the database, a command
 * line argument. The command line prints its message as one line and exits 1; anything else that
 * escapes is a bug. Every such error extends this class.
 */
export class EdgeKvError extends Error {
  override name = "EdgeKvError";
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The request body's field the error is about (`name`, `namespacePermissions.default`), when one
   * is; console answers name it so the page can show the message beside it.
   */
  readonly field: string | undefined;

  constructor(
    code: ErrorCode,
    detail: string,
    headers: Record<string, string> = {},
    { field }: { field?: string | undefined } = {},
  ) {
    super(detail);
    this.name = "ApiError";
    this.code = code;
    this.headers = headers;
    this.field = field;
  }

  get rule(): ErrorRule {
    return ERROR_TABLE[this.code];
  }
}

export const isApiError = (value: unknown): value is ApiError => value instanceof ApiError;
