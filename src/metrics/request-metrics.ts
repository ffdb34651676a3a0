import type { FastifyReply, FastifyRequest } from "fastify";
import { Counter, Histogram, type Registry } from "prom-client";
import { routerPath } from "../http/pipeline.ts";

/** The `route` of a request no declared route matched: an unknown path is never a label value. */
export const UNMATCHED = "unmatched";

// A local API answers in about a millisecond; a slow database or a large item takes seconds.
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type DurationLabels = Readonly<{ route: string; method: string }>;
type RequestLabels = Readonly<{ route: string; method: string; status: string }>;

/** The label sets of one route, by method and then by status: each made once, then reused. */
interface RouteSeries {
  readonly route: string;
  readonly byMethod: Map<string, MethodSeries>;
}

interface MethodSeries {
  readonly duration: DurationLabels;
  readonly byStatus: Map<number, RequestLabels>;
}

export type OnResponse = (request: FastifyRequest, reply: FastifyReply, done: () => void) => void;

const routeSeries = (route: string): RouteSeries => ({ route, byMethod: new Map() });

function addMethod(route: RouteSeries, method: string): MethodSeries {
  const series = { duration: { route: route.route, method }, byStatus: new Map<number, RequestLabels>() };
  route.byMethod.set(method, series);
  return series;
}

function addStatus(series: MethodSeries, status: number): RequestLabels {
  const labels = { ...series.duration, status: String(status) };
  series.byStatus.set(status, labels);
  return labels;
}

/**
 * Requests by route template, method and status, and their latency by route template and method.
 * The route is the OpenAPI template (`/edgekv/v1/tokens/{tokenName}`), never the URL, so the number
 * of series stays bounded whatever clients send: methods are those Node's parser admits, statuses
 * three digits. Recording a request is three map lookups, a counter increment and a histogram
 * observation; label objects are made only the first time a route, method and status meet.
 */
export function createRequestMetrics(registry: Registry) {
  const requests = new Counter({
    name: "edgekv_http_requests_total",
    help: "HTTP requests answered, by route template, method and status.",
    labelNames: ["route", "method", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "edgekv_http_request_duration_seconds",
    help: "Time from a request's arrival to the end of its answer, by route template and method.",
    labelNames: ["route", "method"] as const,
    buckets: BUCKETS,
    registers: [registry],
  });

  /** The onResponse hook of an app that serves these OpenAPI path templates. */
  function hook(templates: readonly string[]): OnResponse {
    // Fastify names the matched route by its router path (`/tokens/:tokenName`), the 405 answers
    // for a path's other methods included.
    const byRouterPath = new Map(templates.map((template) => [routerPath(template), routeSeries(template)]));
    const unmatched = routeSeries(UNMATCHED);
    return (request, reply, done) => {
      const url = request.routeOptions.url;
      const route = (url === undefined ? undefined : byRouterPath.get(url)) ?? unmatched;
      const series = route.byMethod.get(request.method) ?? addMethod(route, request.method);
      const labels = series.byStatus.get(reply.statusCode) ?? addStatus(series, reply.statusCode);
      requests.inc(labels);
      duration.observe(series.duration, reply.elapsedTime / 1000);
      done();
    };
  }

  return { hook };
}
