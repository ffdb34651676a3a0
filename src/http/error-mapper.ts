import { randomFillSync, randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Clock } from "../clock.ts";
import { ApiError, isApiError } from "../errors.ts";
import { isConsoleTarget } from "./console-prefix.ts";
import { type dataPlaneError, type edgeKvProblem, errorBody, type gatewayProblem } from "./error-schemas.ts";
import { SERVER_TIME_HEADER } from "./server-time.ts";

interface FrameworkError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/** Path parameters up to this length reach the route (item keys are up to 512 characters). */
export const MAX_PARAM_LENGTH = 1024;

/**
 * What Fastify refuses before or around a route (body limits, bad paths, unreadable bodies), as our
 * errors; null for anything else, which is a bug.
 */
function fromFramework(error: FrameworkError, bodyLimit: number): ApiError | null {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new ApiError("payload_too_large", `The request body exceeds the limit of ${bodyLimit} bytes.`);
    case "FST_ERR_BAD_URL":
      return new ApiError("validation", "The request path is not valid percent-encoded UTF-8.");
    case "FST_ERR_MAX_PARAM_LENGTH":
      return new ApiError("validation", `A path segment is longer than ${MAX_PARAM_LENGTH} characters.`);
    default:
      if (
        error.code?.startsWith("FST_ERR_CTP_") &&
        error.statusCode !== undefined &&
        error.statusCode < 500
      ) {
        return new ApiError("validation", error.message ?? "The request body could not be read.");
      }
      return null;
  }
}

/** A client that went away mid-request (an aborted upload, a reset): its business, not a bug. */
const clientGone = (error: FrameworkError, request: FastifyRequest): boolean =>
  error.code === "ECONNRESET" || error.code === "ECONNABORTED" || request.raw.destroyed;

/** The gateway's `type` host: Akamai derives it from the API host's domain (problems.luna.akamaiapis.net). */
function problemsHost(host: string | undefined): string {
  const name = (host ?? "localhost").replace(/:\d+$/, "").toLowerCase();
  const labels = name.split(".");
  const isIp = /^[\d.]+$/.test(name) || name.startsWith("[");
  return `problems.${!isIp && labels.length > 2 ? labels.slice(1).join(".") : name}`;
}

/** What an error body may say about the request it answers. */
interface ProblemContext {
  requestId: string;
  host: string | undefined;
  target: string;
  method: string;
  serverIp: string;
  clientIp: string;
  now: Date;
}

/** The body of an error in its rule's shape: the gateway's, EdgeKV's, or the data plane's. */
function problemBody(apiError: ApiError, context: ProblemContext) {
  const { rule } = apiError;
  if (rule.shape === "gateway") {
    return {
      type: `https://${problemsHost(context.host)}/-/pep-authn/${rule.kind}`,
      title: rule.title,
      status: rule.status,
      detail: apiError.message,
      instance: `https://${context.host ?? "localhost"}${context.target}`,
      method: context.method,
      serverIp: context.serverIp,
      clientIp: context.clientIp,
      requestId: context.requestId,
      requestTime: context.now.toISOString(),
    } satisfies z.input<typeof gatewayProblem>;
  }
  if (rule.shape === "dataplane") {
    return {
      status: rule.status,
      error: rule.title,
      detail: apiError.message,
      requestId: context.requestId,
    } satisfies z.input<typeof dataPlaneError>;
  }
  return {
    type: `/edgekv/error-types/edgekv-${rule.kind}`,
    title: rule.title,
    status: rule.status,
    detail: apiError.message,
    instance: `/edgekv/error-instances/${randomUUID()}`,
    errorCode: rule.errorCode,
    additionalDetail: { requestId: context.requestId },
    // Only the console's answers name the field: the admin API's keep Akamai's shape.
    ...(apiError.field !== undefined && isConsoleTarget(context.target) ? { field: apiError.field } : {}),
  } satisfies z.input<typeof edgeKvProblem>;
}

const contentType = (apiError: ApiError): string => {
  const { mediaType } = errorBody(apiError.rule);
  return mediaType === "application/json" ? "application/json; charset=utf-8" : mediaType;
};

/** Random bytes for request ids, drawn 512 ids at a time: one id is asked for on every request. */
const idPool = Buffer.alloc(8 * 512);
let idAt = idPool.length;

/** 16 random hex digits. */
export function newRequestId(): string {
  if (idAt === idPool.length) {
    randomFillSync(idPool);
    idAt = 0;
  }
  idAt += 8;
  return idPool.toString("hex", idAt - 8, idAt);
}

/** The one place that turns a failure into a response; 5xx bodies say nothing internal. */
export function createErrorHandler({ clock, bodyLimit }: { clock: Clock; bodyLimit: number }) {
  return function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
    const framework = error as FrameworkError;
    const known = isApiError(error) ? error : fromFramework(framework, bodyLimit);
    if (known === null && clientGone(framework, request)) {
      request.log.info({ code: framework.code }, "the client went away before the request was read");
    } else if (known === null) {
      request.log.error({ err: error }, "unhandled error");
    }
    const apiError = known ?? new ApiError("internal", "An internal error occurred.");
    const now = clock.now();
    reply
      .code(apiError.rule.status)
      .type(contentType(apiError))
      // Errors raised before routing (bad paths) never pass the hooks that set these.
      .header("X-Trace-Id", request.id)
      .header(SERVER_TIME_HEADER, now.toISOString())
      .headers(apiError.headers);
    return reply.send(
      problemBody(apiError, {
        requestId: request.id,
        host: request.headers.host,
        target: request.raw.url ?? "/",
        method: request.method,
        serverIp: request.socket.localAddress ?? "",
        clientIp: request.ip,
        now,
      }),
    );
  };
}

/** Node refuses these before Fastify sees a request: unparsable HTTP, huge headers, a slow client. */
function fromClientError(error: FrameworkError): ApiError {
  switch (error.code) {
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return new ApiError(
        "request_timeout",
        "The request was not received in time; the connection is closed.",
      );
    case "HPE_HEADER_OVERFLOW":
      return new ApiError("headers_too_large", "The request's headers are too large.");
    default:
      return new ApiError(
        "validation",
        `The request is not valid HTTP/1.1 (${error.code ?? "parse error"}).`,
      );
  }
}

/**
 * Answers what Node's HTTP parser refuses, in the contract's format with a trace id, then closes
 * the connection. A reset connection gets nothing: nobody is listening.
 */
export function createClientErrorHandler({
  clock,
  logger,
}: {
  clock: Clock;
  logger: () => FastifyBaseLogger;
}) {
  return (error: FrameworkError, socket: Socket): void => {
    if (error.code === "ECONNRESET" || socket.destroyed || !socket.writable) {
      socket.destroy();
      return;
    }
    const apiError = fromClientError(error);
    const requestId = newRequestId();
    const now = clock.now();
    const body = JSON.stringify(
      problemBody(apiError, {
        requestId,
        host: undefined,
        target: "/",
        method: "",
        serverIp: socket.localAddress ?? "",
        clientIp: socket.remoteAddress ?? "",
        now,
      }),
    );
    const { status } = apiError.rule;
    logger().info(
      { requestId, code: error.code, status, clientIp: socket.remoteAddress },
      "refused a malformed request",
    );
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\n` +
        `Content-Type: ${contentType(apiError)}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Trace-Id: ${requestId}\r\n` +
        `${SERVER_TIME_HEADER}: ${now.toISOString()}\r\n` +
        "Connection: close\r\n\r\n" +
        body,
    );
  };
}
