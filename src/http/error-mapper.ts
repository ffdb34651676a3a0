import { randomUUID } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Clock } from "../clock.ts";
import { ApiError, isApiError } from "../errors.ts";
import { type dataPlaneError, type edgeKvProblem, errorBody, type gatewayProblem } from "./error-schemas.ts";

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/** Turns what Fastify itself throws (body limits, bad headers) into our errors; null for a bug. */
function fromFastify(error: FastifyLikeError, bodyLimit: number): ApiError | null {
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return new ApiError("payload_too_large", `The request body exceeds the limit of ${bodyLimit} bytes.`);
  }
  if (error.code?.startsWith("FST_ERR_CTP_") && error.statusCode !== undefined && error.statusCode < 500) {
    return new ApiError("validation", error.message ?? "The request body could not be read.");
  }
  return null;
}

/** The gateway's `type` host: Akamai derives it from the API host's domain (problems.luna.akamaiapis.net). */
function problemsHost(host: string | undefined): string {
  const name = (host ?? "localhost").replace(/:\d+$/, "").toLowerCase();
  const labels = name.split(".");
  const isIp = /^[\d.]+$/.test(name) || name.startsWith("[");
  return `problems.${!isIp && labels.length > 2 ? labels.slice(1).join(".") : name}`;
}

export function createErrorHandler({ clock, bodyLimit }: { clock: Clock; bodyLimit: number }) {
  return function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
    const known = isApiError(error) ? error : fromFastify(error as FastifyLikeError, bodyLimit);
    const apiError = known ?? new ApiError("internal", "An internal error occurred.");
    if (known === null) request.log.error({ err: error }, "unhandled error");
    const rule = apiError.rule;
    const { mediaType } = errorBody(rule);
    reply
      .code(rule.status)
      .type(mediaType === "application/json" ? "application/json; charset=utf-8" : mediaType)
      .headers(apiError.headers);
    if (rule.shape === "gateway") {
      return reply.send({
        type: `https://${problemsHost(request.headers.host)}/-/pep-authn/${rule.kind}`,
        title: rule.title,
        status: rule.status,
        detail: apiError.message,
        instance: `https://${request.headers.host ?? "localhost"}${request.raw.url ?? "/"}`,
        method: request.method,
        serverIp: request.socket.localAddress ?? "",
        clientIp: request.ip,
        requestId: request.id,
        requestTime: clock.now().toISOString(),
      } satisfies z.input<typeof gatewayProblem>);
    }
    if (rule.shape === "dataplane") {
      return reply.send({
        status: rule.status,
        error: rule.title,
        detail: apiError.message,
        requestId: request.id,
      } satisfies z.input<typeof dataPlaneError>);
    }
    return reply.send({
      type: `/edgekv/error-types/edgekv-${rule.kind}`,
      title: rule.title,
      status: rule.status,
      detail: apiError.message,
      instance: `/edgekv/error-instances/${randomUUID()}`,
      errorCode: rule.errorCode,
      additionalDetail: { requestId: request.id },
    } satisfies z.input<typeof edgeKvProblem>);
  };
}
