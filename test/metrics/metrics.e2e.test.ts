import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServeConfig } from "../../src/config.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { checkAgainstDocument } from "../support/openapi-check.ts";
import { parsePrometheusText } from "./prometheus-text.ts";

const TOKEN = "e2e-metrics-token-9f8e7d6c";

interface HttpsResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function get(url: string, ca: string, headers: Record<string, string> = {}): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: "GET", ca, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: Object.fromEntries(
            Object.entries(response.headers).map(([name, value]) => [name, String(value)]),
          ),
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

// A started server, over real TLS, scraped the way Prometheus scrapes it.
describe("GET /metrics from a started server", () => {
  let dataDir: string;
  let server: RunningServer;
  let ca: string;
  const logged: string[] = [];
  const scrape = async (headers: Record<string, string> = {}) => {
    const response = await get(`${server.url}/metrics`, ca, headers);
    await checkAgainstDocument({ method: "GET", url: "/metrics", ...response });
    return response;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "edgekv-metrics-"));
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(chunk.toString("utf8"));
        done();
      },
    });
    server = await startServer(parseServeConfig({ port: "0", dataDir, metricsToken: TOKEN }), {
      logger: pino({ level: "info" }, sink),
    });
    ca = readFileSync(server.certPath ?? "", "utf8");
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("refuses a scrape without the token, and answers one with it", async () => {
    expect(server.url).toMatch(/^https:/);
    expect((await scrape()).status).toBe(401);
    await get(`${server.url}/_edgekv/health`, ca);
    const response = await scrape({ Authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    const metrics = parsePrometheusText(response.body);
    expect(
      metrics.value("edgekv_http_requests_total", { route: "/_edgekv/health", method: "GET", status: "200" }),
    ).toBe(1);
    expect(
      metrics.value("edgekv_http_requests_total", { route: "/metrics", method: "GET", status: "401" }),
    ).toBe(1);
    expect(metrics.value("edgekv_tokens", { kind: "enhanced", status: "COMPLETE" })).toBe(0);
    expect(metrics.types.get("edgekv_process_cpu_user_seconds_total")).toBe("counter");
    expect(logged.join("")).toContain('"url":"/metrics"');
    expect(logged.join("")).not.toContain(TOKEN);
  });
});
