import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "../errors.ts";
import type { Method } from "../http/routing.ts";

/** The resources below `/namespaces/`, as named in the request (names not yet checked). */
export type KvPath =
  | { readonly shape: "namespace"; readonly namespace: string }
  | { readonly shape: "groups"; readonly namespace: string }
  | { readonly shape: "group"; readonly namespace: string; readonly group: string }
  | { readonly shape: "item"; readonly namespace: string; readonly group: string; readonly item: string };

export type KvShape = KvPath["shape"];
export type PathOf<S extends KvShape> = Extract<KvPath, { shape: S }>;
export type PathHandler<P extends KvPath> = (
  request: FastifyRequest,
  reply: FastifyReply,
  path: P,
) => Promise<unknown>;
export type PathHandlers<P extends KvPath> = Partial<Record<Method, PathHandler<P>>>;

/** The segments after `/namespaces/`; null when they name no resource. */
export function parseKvPath(segments: readonly string[]): KvPath | null {
  const [namespace, groupsWord, group, itemsWord, item, ...extra] = segments;
  if (namespace === undefined || extra.length > 0) return null;
  if (groupsWord === undefined) return namespace === "" ? null : { shape: "namespace", namespace };
  if (groupsWord !== "groups") return null;
  if (group === undefined) return { shape: "groups", namespace };
  if (itemsWord === undefined) return { shape: "group", namespace, group };
  if (itemsWord !== "items" || item === undefined) return null;
  return { shape: "item", namespace, group, item };
}

/**
 * The percent-decoded segments after `/networks/{network}/namespaces/` of the raw request target.
 * Read from the raw target so that an encoded `/` stays inside its name instead of splitting it.
 */
function segmentsOf(target: string): string[] | null {
  const segments = (target.split("?")[0] ?? "").split("/");
  const at = segments.indexOf("networks");
  if (at < 0 || segments[at + 2] !== "namespaces") return null;
  try {
    return segments.slice(at + 3).map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
}

const ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] as const;

export type KvPathRouter = ReturnType<typeof createKvPathRouter>;

/**
 * One wildcard route for everything below `/namespaces/`, dispatched here by shape. Group names and
 * item keys (up to 128 and 512 characters) exceed the router's parameter length limit (100), which
 * would otherwise answer before any handler could name the rule that was broken. Unknown shapes
 * answer 404 and other methods 405 with `Allow`, as `route()` does.
 */
export function createKvPathRouter() {
  const table = new Map<KvShape, PathHandlers<KvPath>>();
  return {
    on<S extends KvShape>(shape: S, handlers: PathHandlers<PathOf<S>>): void {
      // The dispatcher only hands a handler the path whose shape it was registered for.
      table.set(shape, handlers as PathHandlers<KvPath>);
    },
    register(app: FastifyInstance, url: string): void {
      app.route({
        method: [...ALL_METHODS],
        url,
        exposeHeadRoute: false,
        handler: async (request, reply) => {
          const segments = segmentsOf(request.raw.url ?? "");
          const path = segments === null ? null : parseKvPath(segments);
          const handlers = path === null ? undefined : table.get(path.shape);
          if (path === null || handlers === undefined) {
            throw new ApiError(
              "route_not_found",
              `No resource at ${request.method} ${request.raw.url ?? "/"}.`,
            );
          }
          const method = request.method === "HEAD" ? "GET" : request.method;
          const handler = (handlers as Partial<Record<string, PathHandler<KvPath>>>)[method];
          if (handler === undefined) {
            const allowed = Object.keys(handlers);
            const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : [])].join(", ");
            throw new ApiError(
              "method_not_allowed",
              `Method ${request.method} is not allowed here; use ${allow}.`,
              {
                Allow: allow,
              },
            );
          }
          return handler(request, reply, path);
        },
      });
    },
  };
}
