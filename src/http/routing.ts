import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "../errors.ts";

export type Method = "GET" | "POST" | "PUT" | "DELETE";
export type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const OTHER_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] as const;

/**
 * Registers the handlers of one path, and a 405 (with `Allow`) for every other method, so a wrong
 * method is answered in the contract's format rather than as an unknown path.
 */
export function route(app: FastifyInstance, url: string, handlers: Partial<Record<Method, Handler>>): void {
  const allowed = Object.keys(handlers) as Method[];
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : [])].join(", ");
  for (const method of allowed) {
    const handler = handlers[method];
    if (handler !== undefined) app.route({ method, url, handler });
  }
  const refused = OTHER_METHODS.filter((method) => !allow.split(", ").includes(method));
  app.route({
    method: refused,
    url,
    handler: async (request) => {
      throw new ApiError(
        "method_not_allowed",
        `Method ${request.method} is not allowed here; use ${allow}.`,
        {
          Allow: allow,
        },
      );
    },
  });
}
