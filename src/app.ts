import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { AccountService } from "./accounts/account-service.ts";
import { createEdgeGridAuth } from "./accounts/edgegrid-auth.ts";
import type { NonceJournal } from "./accounts/nonce-journal.ts";
import type { AuditLog } from "./audit/audit-log.ts";
import { auditRoute } from "./audit/audit-route.ts";
import type { Clock } from "./clock.ts";
import { clientRoutes } from "./console/client-routes.ts";
import { registerConsoleEvents } from "./console/console-events.ts";
import { registerConsolePage } from "./console/console-page.ts";
import { consoleRoutes } from "./console/console-routes.ts";
import { consoleKeyRoute } from "./console/key-route.ts";
import { consoleLoginAuth, createConsoleSessionAuth } from "./console/session-auth.ts";
import { createConsoleSessions } from "./console/sessions.ts";
import { dataPlaneRoutes } from "./data-plane/data-plane-routes.ts";
import { firstRunClientToken } from "./first-run.ts";
import { CONSOLE_API_PREFIX } from "./http/console-prefix.ts";
import { type ConnectionLimits, createHttpApp } from "./http/http-app.ts";
import { buildOpenApi } from "./http/openapi.ts";
import { parsePart } from "./http/parse-input.ts";
import { observeSettled, registerNotFound, registerRoutes, twinsOf } from "./http/pipeline.ts";
import { healthRoute, openApiRoute } from "./http/public-routes.ts";
import { type AnyRoute, JsonText } from "./http/route.ts";
import { authRoutes } from "./kv/auth-routes.ts";
import type { Initializer } from "./kv/initialize.ts";
import { kvRoutes } from "./kv/kv-routes.ts";
import type { KvService } from "./kv/kv-service.ts";
import { createPermissionGroups } from "./kv/permission-groups.ts";
import { createMetrics } from "./metrics/metrics.ts";
import { metricsAuth } from "./metrics/metrics-auth.ts";
import { metricsRoute } from "./metrics/metrics-route.ts";
import { clockRoutes } from "./scheduler/clock-routes.ts";
import type { Scheduler } from "./scheduler/scheduler.ts";
import type { ManualClockControl } from "./scheduler/shared-clock.ts";
import { stateRoutes } from "./state/state-routes.ts";
import type { StateService } from "./state/state-service.ts";
import type { Store } from "./storage/store.ts";
import { createAccessTokenAuth } from "./tokens/access-token-auth.ts";
import { jwksRoute } from "./tokens/jwks-route.ts";
import type { Keyring } from "./tokens/keyring.ts";
import { tokenRoutes } from "./tokens/token-routes.ts";
import type { TokenService } from "./tokens/token-service.ts";
import { tokensFileRoute } from "./tokens/tokens-file-route.ts";
import { verifyRoute } from "./tokens/verify-route.ts";
import { VERSION } from "./version.ts";

export interface AppDeps {
  /** Authentication reads API clients and nonces; routes themselves go through the services. */
  store: Store;
  accounts: AccountService;
  initializer: Initializer;
  kv: KvService;
  tokens: TokenService;
  keyring: Keyring;
  /** Records every state-changing request and refused authentication. */
  audit: AuditLog;
  scheduler: Pick<Scheduler, "runNow" | "totals" | "runCounts">;
  /** Seeding and resetting the whole state. */
  state: StateService;
  /** The domain's time: token lifecycle, expiry, scheduling. */
  clock: Clock;
  /** Real time, for EdgeGrid timestamps and nonces even when the domain clock is manual. */
  wallClock: Clock;
  /** Set with `--clock manual`: enables /_edgekv/v1/clock, and every request first takes the shared time. */
  manualClock: ManualClockControl | null;
  /** A pino logger, or false for none (tests). */
  logger: FastifyBaseLogger | false;
  /** Serve HTTPS with this certificate; null for plain HTTP (tests, or behind a TLS proxy). */
  tls: { cert: string; key: string } | null;
  bodyLimit: number;
  /** null turns the EdgeGrid clock-skew check off (only for fixed test vectors). */
  maxSkewSeconds: number | null;
  /** A single-process SQLite server's accepted nonces, kept across restarts; null otherwise. */
  nonceJournal: NonceJournal | null;
  /** Whether the server is ready for use (health answers 503 until it is); always, by default. */
  isReady?: () => boolean;
  /** Client timeouts and the connection cap; absent: the `serve` defaults. */
  limits?: ConnectionLimits | undefined;
  /** `--metrics-token`: the bearer token GET /metrics requires; absent: /metrics is open. */
  metricsToken?: string | undefined;
  /** The web console's built page; absent: the package's dist/console-ui. */
  consoleUiDir?: string | undefined;
  /** How often the console's event streams look at the database; absent: every second. */
  consoleEventTickMs?: number | undefined;
}

export const API_INFO = {
  title: "edgekv-server",
  version: VERSION,
  description:
    "Akamai's EdgeKV administrative API for access tokens, namespaces and items (EdgeGrid-signed), the data plane " +
    "that `edgekv.js` calls with a token, and edgekv-server's own endpoints under `/_edgekv`.",
};

/**
 * Every endpoint of the server, each declared once; the pipeline runs them and the document shows
 * them. The web console's endpoints, and the twins of the admin API's under its prefix, are run but
 * not in the document (its twins are the admin API's routes, as documented).
 */
export function appRoutes(
  deps: Omit<AppDeps, "logger" | "tls" | "bodyLimit"> & {
    /** Whether the server serves HTTPS: the console's cookie, origin and URLs follow. Default: true. */
    secure?: boolean;
  },
) {
  const secure = deps.secure ?? true;
  const edgegrid = createEdgeGridAuth({ ...deps, clock: deps.wallClock });
  const accessToken = createAccessTokenAuth(deps);
  const metrics = createMetrics(deps);
  const { store } = deps;
  const sessions = createConsoleSessions({
    store,
    clock: deps.wallClock,
    administrator: async () => {
      const clientToken = await firstRunClientToken(store);
      return clientToken === null ? null : store.clients.get(clientToken);
    },
  });
  const consoleSession = createConsoleSessionAuth({ sessions, store, accounts: deps.accounts, secure });
  const routes: AnyRoute[] = [
    healthRoute(deps.isReady ?? (() => true)),
    metricsRoute({ metrics, auth: metricsAuth(deps.metricsToken) }),
    jwksRoute(deps),
    ...kvRoutes({ ...deps, edgegrid }),
    ...authRoutes({ groups: createPermissionGroups(deps), initializer: deps.initializer, edgegrid }),
    ...tokenRoutes({ ...deps, edgegrid }),
    verifyRoute({ ...deps, edgegrid }),
    tokensFileRoute({ ...deps, edgegrid }),
    ...clockRoutes({
      control: deps.manualClock,
      scheduler: deps.scheduler,
      edgegrid,
      wallClock: deps.wallClock,
    }),
    auditRoute({ log: deps.audit, edgegrid }),
    ...stateRoutes({ state: deps.state, edgegrid }),
    consoleKeyRoute({ sessions, edgegrid, secure }),
    ...dataPlaneRoutes({ kv: deps.kv, auth: accessToken }),
  ];
  const consoleApi: AnyRoute[] = [
    ...consoleRoutes({
      sessions,
      session: consoleSession,
      login: consoleLoginAuth({ secure }),
      store,
      clock: deps.clock,
      manualClock: deps.manualClock !== null,
      secure,
    }),
    ...clientRoutes({
      session: consoleSession,
      store,
      accounts: deps.accounts,
      initializer: deps.initializer,
    }),
    ...twinsOf(routes, {
      of: edgegrid,
      scheme: consoleSession,
      prefix: CONSOLE_API_PREFIX,
      except: ["createConsoleKey"],
    }),
  ];
  // The document is the same for every instance; it is made when first asked for, not at start.
  let document: Readonly<Record<string, unknown>> | undefined;
  const documentOf = () => {
    document ??= buildOpenApi({ routes: [...routes, openApiRoute(() => ({}))], info: API_INFO });
    return document;
  };
  const listTokens = routes.find((route) => route.operationId === "listTokens");
  // The route may answer with its JSON already serialised; the console's events want the value.
  const bodyValue = ({ body }: { body: unknown }) =>
    body instanceof JsonText ? JSON.parse(body.text) : body;
  if (listTokens === undefined) throw new Error("The token list route is missing.");
  return {
    routes: [...routes, openApiRoute(documentOf), ...consoleApi],
    document: documentOf,
    metrics,
    consoleSession,
    sessions,
    /** What GET /edgekv/v1/tokens?includeExpired=true answers a caller, for the console's live list. */
    listTokens: async (caller: unknown, head: Parameters<AnyRoute["handler"]>[0]["head"]) =>
      bodyValue(
        await listTokens.handler({
          caller,
          params: {},
          query:
            listTokens.query === undefined
              ? {}
              : parsePart(listTokens.query, { includeExpired: "true" }, "validation"),
          body: undefined,
          head,
        }),
      ),
    // Akamai's gateway authenticates before routing: an unknown path there is 401 without a signature.
    // So is one below the console's API without a session.
    gated: [
      { prefix: "/edgekv/v1/", scheme: edgegrid },
      { prefix: "/_edgekv/v1/", scheme: edgegrid },
      { prefix: `${CONSOLE_API_PREFIX}/`, scheme: consoleSession },
    ],
  };
}

/** The request the console's live token list stands for. */
const LIST_TOKENS_HEAD = {
  method: "GET",
  target: "/edgekv/v1/tokens?includeExpired=true",
  headers: {},
  rawHeaders: [],
  query: { includeExpired: "true" },
} as const;

/** Builds the whole HTTP application without listening: `server.ts` listens, tests use inject(). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = createHttpApp({
    logger: deps.logger,
    tls: deps.tls,
    bodyLimit: deps.bodyLimit,
    clock: deps.clock,
    limits: deps.limits,
  });
  const { manualClock } = deps;
  // With a manual clock every node works on the time kept in the database.
  if (manualClock !== null) app.addHook("onRequest", async () => manualClock.sync());
  const { routes, gated, metrics, consoleSession, sessions, listTokens } = appRoutes({
    ...deps,
    secure: deps.tls !== null,
  });
  app.addHook("onResponse", metrics.requestHook(routes.map((route) => route.path)));
  registerRoutes(app, routes);
  registerConsolePage(app, deps.consoleUiDir === undefined ? {} : { dir: deps.consoleUiDir });
  registerConsoleEvents(app, {
    auth: consoleSession,
    isLive: async (caller) => caller.consoleSession === undefined || sessions.isLive(caller.consoleSession),
    tokens: (caller) => listTokens(caller, LIST_TOKENS_HEAD),
    audit: deps.audit,
    clock: deps.clock,
    manualClock: deps.manualClock,
    ...(deps.consoleEventTickMs === undefined ? {} : { tickMs: deps.consoleEventTickMs }),
  });
  registerNotFound(app, gated);
  const { audit } = deps;
  observeSettled(app, (settled) => audit.observe(settled));
  // What was answered before closing is stored before the store closes.
  app.addHook("onClose", () => audit.flush());
  return app;
}
