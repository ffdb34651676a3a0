import type { Socket } from "node:net";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import type { Clock } from "../clock.ts";
import { parseServeConfig } from "../config.ts";
import { ApiError } from "../errors.ts";
import { createConnectionGuard } from "./connection-guard.ts";
import {
  createClientErrorHandler,
  createErrorHandler,
  MAX_PARAM_LENGTH,
  newRequestId,
} from "./error-mapper.ts";
import { headerCount } from "./raw-headers.ts";
import { SERVER_TIME_HEADER } from "./server-time.ts";

export interface HttpAppOptions {
  /** A pino logger, or false for none (tests). */
  logger: FastifyBaseLogger | false;
  /** Serve HTTPS with this certificate; null for plain HTTP (tests, or behind a TLS proxy). */
  tls: { cert: string; key: string } | null;
  bodyLimit: number;
  /** The time printed in gateway error bodies and sent in X-EdgeKV-Time. */
  clock: Clock;
  /** How long clients may take and how many may be connected; absent: the `serve` defaults. */
  limits?: ConnectionLimits | undefined;
}

/** The `serve` settings of the same names. */
export interface ConnectionLimits {
  requestTimeoutSeconds: number;
  headersTimeoutSeconds: number;
  keepAliveTimeoutSeconds: number;
  maxConnections: number;
}

// Node looks for requests past their deadline on a timer, every 30 s by default; this often, a
// timeout takes effect within half a second of being due.
const CHECK_INTERVAL_MS = 500;

/** Options of Node's HTTP server that bound a client's time. */
function nodeTimeouts(limits: ConnectionLimits) {
  return {
    requestTimeout: Math.round(limits.requestTimeoutSeconds * 1000),
    headersTimeout: Math.round(limits.headersTimeoutSeconds * 1000),
    connectionsCheckingInterval: CHECK_INTERVAL_MS,
  };
}

/** Errors of Node's HTTP parser and deadlines, as opposed to TLS and socket errors. */
const isHttpError = (error: { code?: string }): boolean =>
  error.code?.startsWith("HPE_") === true || error.code?.startsWith("ERR_HTTP_") === true;

/** The clock's time as ISO 8601, formatted once per millisecond rather than once per request. */
function isoStamps(clock: Clock): () => string {
  let lastMs = Number.NaN;
  let last = "";
  return () => {
    const now = clock.now();
    if (now.getTime() !== lastMs) {
      lastMs = now.getTime();
      last = now.toISOString();
    }
    return last;
  };
}

/**
 * A Fastify instance with the parts every route shares: a trace id on every response, one log line
 * per request, bodies kept as raw bytes (EdgeGrid hashes the exact bytes; routes parse JSON
 * strictly), and one error handler for everything, including what Fastify refuses before routing.
 */
export function createHttpApp(options: HttpAppOptions): FastifyInstance {
  const { bodyLimit } = options;
  const limits = options.limits ?? parseServeConfig({});
  const timeouts = nodeTimeouts(limits);
  const handleError = createErrorHandler({ clock: options.clock, bodyLimit });
  const answerClientError = createClientErrorHandler({
    clock: options.clock,
    // Called only once the server runs, when `app` exists.
    logger: () => app.log,
  });
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
    clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
      // Over HTTPS, failed handshakes come here too (a handshake timeout, a client speaking plain
      // HTTP): no HTTP answer can reach such a client, and one written would wait forever.
      if (!isHttpError(error)) {
        socket.destroy();
        return;
      }
      answerClientError(error, socket);
      // The answer ends our side only: a client that never closes its own (a slow one, typically)
      // would keep the connection half open for good.
      if (!socket.destroyed) socket.once("finish", () => socket.destroy());
    },
    ...(options.logger === false ? { logger: false as const } : { loggerInstance: options.logger }),
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "requestId" }),
    bodyLimit,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    genReqId: newRequestId,
    return503OnClosing: true,
    requestTimeout: timeouts.requestTimeout,
    keepAliveTimeout: Math.round(limits.keepAliveTimeoutSeconds * 1000),
  };
  const app = (options.tls === null
    ? Fastify({ ...settings, http: timeouts })
    : Fastify({
        ...settings,
        // Until the handshake is done no HTTP deadline applies.
        https: { ...options.tls, ...timeouts, handshakeTimeout: timeouts.headersTimeout },
      })) as unknown as FastifyInstance;

  const guard = createConnectionGuard({ maxConnections: limits.maxConnections, logger: () => app.log });
  app.server.on("connection", guard.admit);
  // Every request passes these hooks, so they take callbacks: an async hook costs a promise each.
  // A request read whole is being answered; its connection is not shed until the response ends.
  app.addHook("preValidation", (request, _reply, done) => {
    guard.handlerStarted(request.raw.socket);
    done();
  });
  app.addHook("onRequest", (request, reply, done) => {
    reply.header("X-Trace-Id", request.id);
    // Node keeps the first of two Host headers; a proxy in front may keep the other. Neither guess is
    // safe for a signature over the host.
    const hosts = headerCount(request.raw.rawHeaders, "host");
    if (hosts > 1) done(new ApiError("validation", `The request has ${hosts} Host headers; send one.`));
    else done();
  });
  // Taken as the answer leaves, so it is the time after the request synced or moved a manual clock.
  const serverTime = isoStamps(options.clock);
  app.addHook("onSend", (_request, reply, payload, done) => {
    reply.header(SERVER_TIME_HEADER, serverTime());
    done(null, payload);
  });
  app.addHook("onResponse", (request, reply, done) => {
    guard.handlerEnded(request.raw.socket);
    const durationMs = Math.round(reply.elapsedTime * 1000) / 1000;
    request.log.info(
      { method: request.method, url: request.raw.url, status: reply.statusCode, durationMs },
      "request",
    );
    done();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit }, (_request, body, done) => done(null, body));
  app.setErrorHandler(handleError);
  return app;
}
