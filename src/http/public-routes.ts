import { z } from "zod";
import { defineRoute, json, PUBLIC } from "./route.ts";

/**
 * `GET /_edgekv/health`: 200 once the server is ready for use (on a first start: its `.edgerc`
 * written), 503 while it is still starting.
 */
export const healthRoute = (isReady: () => boolean) =>
  defineRoute({
    operationId: "health",
    method: "GET",
    path: "/_edgekv/health",
    summary: "Health (edgekv-server)",
    tags: ["edgekv-server"],
    auth: PUBLIC,
    responses: {
      200: json(z.object({ status: z.literal("ok") }), "Ready: the first run's files are written."),
      503: json(z.object({ status: z.literal("starting") }), "Still starting: try again shortly."),
    },
    errors: [],
    handler: async () =>
      isReady()
        ? { status: 200, body: { status: "ok" as const } }
        : { status: 503, body: { status: "starting" as const } },
  });

/** `GET /_edgekv/openapi.json`: this API's OpenAPI 3.1 document, made from the route table. */
export const openApiRoute = (document: () => Readonly<Record<string, unknown>>) =>
  defineRoute({
    operationId: "openApiDocument",
    method: "GET",
    path: "/_edgekv/openapi.json",
    summary: "This API's OpenAPI document (edgekv-server)",
    tags: ["edgekv-server"],
    auth: PUBLIC,
    responses: {
      200: json(
        z.record(z.string(), z.unknown()).meta({ description: "An OpenAPI 3.1 document." }),
        "The document.",
      ),
    },
    errors: [],
    handler: async () => ({ status: 200, body: document() }),
  });
