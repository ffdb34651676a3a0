import { randomUUID } from "node:crypto";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import type { AccountService } from "../accounts/account-service.ts";
import type { Clock } from "../clock.ts";
import { registerDataPlaneRoutes } from "../data-plane/data-plane-routes.ts";
import { ApiError } from "../errors.ts";
import type { Initializer } from "../kv/initialize.ts";
import { registerInitializeRoutes } from "../kv/initialize-routes.ts";
import { registerKvRoutes } from "../kv/kv-routes.ts";
import type { KvService } from "../kv/kv-service.ts";
import type { Scheduler } from "../scheduler/scheduler.ts";
import type { ManualClockControl } from "../scheduler/shared-clock.ts";
import type { Store } from "../storage/store.ts";
import type { Keyring } from "../tokens/keyring.ts";
import { registerTokenRoutes } from "../tokens/token-routes.ts";
import type { TokenService } from "../tokens/token-service.ts";
import { registerTokensFileRoute } from "../tokens/tokens-file-route.ts";
import { registerVerifyRoute } from "../tokens/verify-route.ts";
import { createAuthenticator } from "./authenticate.ts";
import { registerClockRoutes } from "./clock-routes.ts";
import { createErrorHandler } from "./error-mapper.ts";

export interface AppDeps {
  store: Store;
  kv: KvService;
  accounts: AccountService;
  initializer: Initializer;
  tokens: TokenService;
  keyring: Keyring;
  /** The domain's time: token lifecycle, expiry, scheduling. */
  clock: Clock;
  /** Real time, for EdgeGrid timestamps and nonces even when the domain clock is manual. */
  wallClock: Clock;
  /** Set with `--clock manual`: enables /_edgekv/v1/clock. */
  manualClock: ManualClockControl | null;
  /** The domain's due work: moving the manual clock runs it and reports what it did. */
  scheduler: Pick<Scheduler, "runNow" | "totals">;
  /** A pino logger, or false for none (tests). */
  logger: FastifyBaseLogger | false;
  /** Serve HTTPS with this certificate; null for plain HTTP (tests, or behind a TLS proxy). */
  tls: { cert: string; key: string } | null;
  bodyLimit: number;
  /** null turns the EdgeGrid clock-skew check off (only for fixed test vectors). */
  maxSkewSeconds: number | null;
}

/** Builds the whole HTTP application without listening; `main.ts` listens, tests use inject(). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { clock, bodyLimit } = deps;
  const handleError = createErrorHandler({ clock, bodyLimit });
  const app = (deps.tls === null
    ? Fastify({ ...common(deps, handleError) })
    : Fastify({ ...common(deps, handleError), https: deps.tls })) as unknown as FastifyInstance;

  app.decorateRequest("caller", null);
  const { manualClock } = deps;
  app.addHook("onRequest", async (request, reply) => {
    reply.header("X-Trace-Id", request.id);
    // With a manual clock every node works on the time kept in the database.
    if (manualClock !== null) await manualClock.sync();
  });
  app.addHook("onResponse", async (request, reply) => {
    const durationMs = Math.round(reply.elapsedTime * 1000) / 1000;
    request.log.info(
      { method: request.method, url: request.raw.url, status: reply.statusCode, durationMs },
      "request",
    );
  });

  // Bodies stay raw bytes: EdgeGrid hashes the exact bytes, and handlers parse JSON strictly later.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit }, (_request, body, done) => done(null, body));

  app.setErrorHandler(handleError);
  app.setNotFoundHandler(async (request) => {
    throw new ApiError("route_not_found", `No resource at ${request.method} ${request.raw.url ?? "/"}.`);
  });

  app.get("/_edgekv/health", async () => ({ status: "ok" }));
  app.get("/.well-known/jwks.json", async () => deps.keyring.jwks());

  registerDataPlaneRoutes(app, deps);

  const authenticate = createAuthenticator({ ...deps, clock: deps.wallClock });
  await app.register(
    async (api) => {
      api.addHook("preHandler", authenticate);
      api.setNotFoundHandler(async (request) => {
        throw new ApiError("route_not_found", `No resource at ${request.method} ${request.raw.url ?? "/"}.`);
      });
      registerInitializeRoutes(api, deps);
      registerTokenRoutes(api, deps);
      registerKvRoutes(api, deps);
    },
    { prefix: "/edgekv/v1" },
  );
  await app.register(
    async (control) => {
      control.addHook("preHandler", authenticate);
      registerVerifyRoute(control, deps);
      registerTokensFileRoute(control, deps);
      if (manualClock !== null)
        registerClockRoutes(control, { control: manualClock, scheduler: deps.scheduler });
    },
    { prefix: "/_edgekv/v1" },
  );
  return app;
}

/** Options shared by the HTTP and HTTPS variants; `errors` answers what Fastify refuses before routing. */
function common(deps: AppDeps, handleError: ReturnType<typeof createErrorHandler>) {
  return {
    // A path that is not valid percent-encoding never reaches a route; answer it in the contract's format.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
      handleError(
        (error as { code?: string }).code === "FST_ERR_BAD_URL"
          ? new ApiError("validation", "The request path is not valid percent-encoded UTF-8.")
          : error,
        request,
        reply,
      ),
    ...(deps.logger === false ? { logger: false as const } : { loggerInstance: deps.logger }),
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "requestId" }),
    bodyLimit: deps.bodyLimit,
    // Item keys on the data plane are up to 512 characters.
    routerOptions: { maxParamLength: 1024 },
    genReqId: () => randomUUID().replaceAll("-", "").slice(0, 16),
    return503OnClosing: true,
  };
}
