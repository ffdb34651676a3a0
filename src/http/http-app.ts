import { randomUUID } from "node:crypto";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import { createErrorHandler } from "./error-mapper.ts";

export interface HttpAppOptions {
  /** A pino logger, or false for none (tests). */
  logger: FastifyBaseLogger | false;
  /** Serve HTTPS with this certificate; null for plain HTTP (tests, or behind a TLS proxy). */
  tls: { cert: string; key: string } | null;
  bodyLimit: number;
  /** The time printed in gateway error bodies. */
  clock: Clock;
}

/** Path parameters up to this length reach the route (item keys are up to 512 characters). */
const MAX_PARAM_LENGTH = 1024;

/**
 * A Fastify instance with the parts every route shares: a trace id on every response, one log line
 * per request, bodies kept as raw bytes (EdgeGrid hashes the exact bytes; routes parse JSON
 * strictly), and one error handler for everything, including what Fastify refuses before routing.
 */
export function createHttpApp(options: HttpAppOptions): FastifyInstance {
  const { bodyLimit } = options;
  const handleError = createErrorHandler({ clock: options.clock, bodyLimit });
  const settings = {
    // A path that is not valid percent-encoding never reaches a route; answer it in the contract's format.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
      handleError(
        (error as { code?: string }).code === "FST_ERR_BAD_URL"
          ? new ApiError("validation", "The request path is not valid percent-encoded UTF-8.")
          : error,
        request,
        reply,
      ),
    ...(options.logger === false ? { logger: false as const } : { loggerInstance: options.logger }),
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "requestId" }),
    bodyLimit,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    genReqId: () => randomUUID().replaceAll("-", "").slice(0, 16),
    return503OnClosing: true,
  };
  const app = (options.tls === null
    ? Fastify(settings)
    : Fastify({ ...settings, https: options.tls })) as unknown as FastifyInstance;

  app.addHook("onRequest", async (request, reply) => {
    reply.header("X-Trace-Id", request.id);
  });
  app.addHook("onResponse", async (request, reply) => {
    const durationMs = Math.round(reply.elapsedTime * 1000) / 1000;
    request.log.info(
      { method: request.method, url: request.raw.url, status: reply.statusCode, durationMs },
      "request",
    );
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit }, (_request, body, done) => done(null, body));
  app.setErrorHandler(handleError);
  return app;
}
