import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { parsePrometheusText } from "./prometheus-text.ts";

const TOKEN = {
  allowOnStaging: true,
  allowOnProduction: true,
  namespacePermissions: { default: ["r", "w", "d"] },
};
const DAY_SECONDS = 86_400;

describeEachDialect("GET /metrics", (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const scrape = async () => {
    const response = await h.app.inject({ method: "GET", url: "/metrics" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    return parsePrometheusText(response.body);
  };
  const createToken = async (name: string, extra: Record<string, unknown> = {}) => {
    const response = await h.signed({
      method: "POST",
      url: "/edgekv/v1/tokens",
      body: JSON.stringify({ ...TOKEN, name, ...extra }),
    });
    expect(response.statusCode, response.body).toBe(200);
  };

  it("counts requests by route template, method and status, never by URL", async () => {
    await createToken("alpha");
    for (const name of ["alpha", "alpha", "nobody"]) {
      await h.signed({ method: "GET", url: `/edgekv/v1/tokens/${name}` });
    }
    await h.app.inject({ method: "GET", url: "/no/such/path" });
    await h.app.inject({ method: "PATCH", url: "/_edgekv/health" });
    await h.app.inject({ method: "GET", url: "/_edgekv/health" });
    await scrape();
    const metrics = await scrape();
    const requests = (route: string, method: string, status: string) =>
      metrics.value("edgekv_http_requests_total", { route, method, status });
    expect(metrics.types.get("edgekv_http_requests_total")).toBe("counter");
    expect(requests("/edgekv/v1/tokens", "POST", "200")).toBe(1);
    expect(requests("/edgekv/v1/tokens/{tokenName}", "GET", "200")).toBe(2);
    expect(requests("/edgekv/v1/tokens/{tokenName}", "GET", "404")).toBe(1);
    expect(requests("unmatched", "GET", "404")).toBe(1);
    expect(requests("/_edgekv/health", "PATCH", "405")).toBe(1);
    expect(requests("/_edgekv/health", "GET", "200")).toBe(1);
    // The first scrape was answered before the second was taken.
    expect(requests("/metrics", "GET", "200")).toBe(1);
    const routes = new Set(metrics.find("edgekv_http_requests_total").map((s) => s.labels.route));
    expect([...routes].filter((route) => /alpha|nobody|no\/such/.test(route ?? ""))).toEqual([]);
  });

  it("keeps a latency histogram by route template and method", async () => {
    await createToken("alpha");
    await h.signed({ method: "GET", url: "/edgekv/v1/tokens/alpha" });
    await h.signed({ method: "GET", url: "/edgekv/v1/tokens/missing" });
    const metrics = await scrape();
    const name = "edgekv_http_request_duration_seconds";
    expect(metrics.types.get(name)).toBe("histogram");
    const labels = { route: "/edgekv/v1/tokens/{tokenName}", method: "GET" };
    const buckets = metrics.find(`${name}_bucket`, labels);
    expect(buckets.length).toBeGreaterThan(5);
    const counts = buckets.map((bucket) => bucket.value);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(metrics.value(`${name}_bucket`, { ...labels, le: "+Inf" })).toBe(2);
    expect(metrics.value(`${name}_count`, labels)).toBe(2);
    expect(metrics.value(`${name}_sum`, labels)).toBeGreaterThan(0);
  });

  it("counts live tokens by kind and activation status, as the clock moves", async () => {
    const tokens = (kind: string, status: string) => metrics.value("edgekv_tokens", { kind, status });
    let metrics = await scrape();
    expect(metrics.types.get("edgekv_tokens")).toBe("gauge");
    expect(metrics.find("edgekv_tokens").every((sample) => sample.value === 0)).toBe(true);
    expect(metrics.find("edgekv_tokens")).toHaveLength(6);
    await createToken("one");
    await createToken("two");
    await createToken("old", { expiry: "2027-01-01" });
    metrics = await scrape();
    expect(tokens("enhanced", "IN_PROGRESS")).toBe(2);
    expect(tokens("enhanced", "COMPLETE")).toBe(0);
    // A legacy token works as soon as it is returned.
    expect(tokens("legacy", "COMPLETE")).toBe(1);
    // Activation takes five seconds in the harness.
    h.clock.advance(6_000);
    await h.signed({ method: "DELETE", url: "/edgekv/v1/tokens/two" });
    metrics = await scrape();
    expect(tokens("enhanced", "IN_PROGRESS")).toBe(0);
    expect(tokens("enhanced", "COMPLETE")).toBe(1);
    expect(tokens("legacy", "COMPLETE")).toBe(1);
    expect(tokens("enhanced", "ERROR")).toBe(0);
  });

  it("reports the scheduler's runs and work after a move of the manual clock", async () => {
    let metrics = await scrape();
    expect(metrics.value("edgekv_scheduler_runs_total")).toBe(0);
    expect(metrics.value("edgekv_scheduler_failures_total")).toBe(0);
    expect(metrics.find("edgekv_scheduler_work_total")).toEqual([]);
    await createToken("due");
    const moved = await h.signed({
      method: "POST",
      url: "/_edgekv/v1/clock",
      body: JSON.stringify({ advanceSeconds: 61 * DAY_SECONDS }),
    });
    expect(moved.statusCode, moved.body).toBe(200);
    metrics = await scrape();
    expect(metrics.types.get("edgekv_scheduler_runs_total")).toBe("counter");
    expect(metrics.value("edgekv_scheduler_runs_total")).toBeGreaterThanOrEqual(1);
    expect(metrics.value("edgekv_scheduler_failures_total")).toBe(0);
    expect(metrics.value("edgekv_scheduler_work_total", { work: "refreshed" })).toBe(1);
    expect(metrics.find("edgekv_scheduler_work_total", { work: "purged" })).toHaveLength(1);
  });

  it("includes the process's metrics, named edgekv_", async () => {
    const metrics = await scrape();
    for (const name of [
      "edgekv_process_cpu_user_seconds_total",
      "edgekv_process_start_time_seconds",
      "edgekv_nodejs_heap_size_used_bytes",
      "edgekv_nodejs_eventloop_lag_seconds",
    ]) {
      expect(metrics.types.has(name), name).toBe(true);
    }
    expect(metrics.value("edgekv_process_start_time_seconds")).toBeGreaterThan(1_600_000_000);
  });

  it(
    dialect === "postgres" ? "reports the PostgreSQL pool's use" : "has no pool metrics on SQLite",
    async () => {
      const metrics = await scrape();
      const pool = metrics.samples.filter((sample) => sample.name.startsWith("edgekv_db_pool_"));
      if (dialect === "sqlite") {
        expect(pool).toEqual([]);
        return;
      }
      expect(metrics.types.get("edgekv_db_pool_connections")).toBe("gauge");
      expect(metrics.value("edgekv_db_pool_connections")).toBeGreaterThanOrEqual(1);
      expect(metrics.value("edgekv_db_pool_idle_connections")).toBeGreaterThanOrEqual(0);
      expect(metrics.value("edgekv_db_pool_waiting_queries")).toBe(0);
      // The test stores open a pool of four.
      expect(metrics.value("edgekv_db_pool_max_connections")).toBe(4);
    },
  );
});
