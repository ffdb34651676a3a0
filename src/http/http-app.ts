import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import {
  createClientErrorHandler,
  createErrorHandler,
  MAX_PARAM_LENGTH,
  newRequestId,
} from "./error-mapper.ts";
import { headerCount } from "./raw-headers.ts";

export interface HttpAppOptions {
  /** A pino logger, or false for none (tests). */
  logger: FastifyBaseLogger | false;
  /** Serve HTTPS with this certificate; null for plain HTTP (tests, or behind a TLS proxy). */
  tls: { cert: string; key: string } | null;
  bodyLimit: number;
  /** The time printed in gateway error bodies. */
  clock: Clock;
}

/**
 * A Fastify instance with the parts every route shares: a trace id on every response, one log line
 * per request, bodies kept as raw bytes (EdgeGrid hashes the exact bytes; routes parse JSON
 * strictly), and one error handler for everything, including what Fastify refuses before routing.
 */
export function createHttpApp(options: HttpAppOptions): FastifyInstance {
  const { bodyLimit } = options;
  const handleError = createErrorHandler({ clock: options.clock, bodyLimit });
  const settings = {
    // Paths that never reach a route (invalid percent-encoding, a segment too long) are answered in
    // the contract's format too, and so is what Node's HTTP parser refuses.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      request.log.info(
        { method: request.method, url: request.raw.url, code: (error as { code?: string }).code },
        "refused a request before routing",
      );
      return handleError(error, request, reply);
    },
    clientErrorHandler: createClientErrorHandler({
      clock: options.clock,
      // Called only once the server runs, when `app` exists.
      logger: () => app.log,
    }),
    ...(options.logger === false ? { logger: false as const } : { loggerInstance: options.logger }),
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "requestId" }),
    bodyLimit,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    genReqId: newRequestId,
    return503OnClosing: true,
  };
  const app = (options.tls === null
    ? Fastify(settings)
    : Fastify({ ...settings, https: options.tls })) as unknown as FastifyInstance;

  app.addHook("onRequest", async (request, reply) => {
    reply.header("X-Trace-Id", request.id);
    // Node keeps the first of two Host headers; a proxy in front may keep the other. Neither guess is
    // safe for a signature over the host.
    const hosts = headerCount(request.raw.rawHeaders, "host");
    if (hosts > 1) throw new ApiError("validation", `The request has ${hosts} Host headers; send one.`);
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
