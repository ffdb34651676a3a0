import { Registry } from "prom-client";
import { z } from "zod";
import { type AuthScheme, defineRoute, text } from "../http/route.ts";
import type { Metrics } from "./metrics.ts";

/** `GET /metrics`: the server's metrics for Prometheus to scrape. */
export const metricsRoute = ({
  metrics,
  auth,
}: {
  metrics: Pick<Metrics, "scrape">;
  auth: AuthScheme<null>;
}) =>
  defineRoute({
    operationId: "metrics",
    method: "GET",
    path: "/metrics",
    summary: "Prometheus metrics (edgekv-server)",
    description:
      "Requests by route template, method and status; their latency; live tokens by kind and activation status; " +
      "the scheduler's runs, work and failures; the PostgreSQL pool; the process (`edgekv_…`). Open unless the " +
      "server was started with `--metrics-token`: it tells anyone who can reach the port how the server is used.",
    tags: ["edgekv-server"],
    auth,
    responses: {
      200: text(
        z.string().meta({ description: "Prometheus' text exposition format 0.0.4." }),
        "The metrics.",
        Registry.PROMETHEUS_CONTENT_TYPE,
      ),
    },
    errors: [],
    handler: async () => ({ status: 200, body: await metrics.scrape() }),
  });
