import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDialect } from "../support/dialects.ts";
import { checkAgainstDocument } from "../support/openapi-check.ts";
import { appWithMetricsToken } from "./token-app.ts";

const TOKEN = "s3cret-metrics-token-0123456789";

describeEachDialect("GET /metrics with --metrics-token", () => {
  let app: Awaited<ReturnType<typeof appWithMetricsToken>>;
  const logged: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(chunk.toString("utf8"));
        done();
      },
    });
    app = await appWithMetricsToken({ metricsToken: TOKEN, logger: pino({ level: "trace" }, sink) });
  });
  afterAll(async () => {
    await app.close();
  });

  const scrape = async (headers: Record<string, string | string[]>) => {
    const response = await app.app.inject({ method: "GET", url: "/metrics", headers });
    await checkAgainstDocument({ method: "GET", url: "/metrics", ...responseOf(response) });
    return response;
  };
  const responseOf = (response: { statusCode: number; headers: Record<string, unknown>; body: string }) => ({
    status: response.statusCode,
    headers: response.headers as Record<string, string>,
    body: response.body,
  });

  it.each([
    ["no Authorization header", {}],
    ["a wrong token", { authorization: "Bearer not-the-token" }],
    ["the token with a character more", { authorization: `Bearer ${TOKEN}x` }],
    ["the token as another scheme", { authorization: `Basic ${TOKEN}` }],
    ["the token without a scheme", { authorization: TOKEN }],
    ["the right token twice", { authorization: [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`] }],
  ])("refuses %s with 401 in the gateway's problem format", async (_case, headers) => {
    const response = await scrape(headers);
    expect(response.statusCode).toBe(401);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(response.headers["www-authenticate"]).toBe('Bearer realm="metrics"');
    expect(response.json()).toMatchObject({ status: 401, title: "Not authorized" });
    expect(response.body).not.toContain(TOKEN);
  });

  it("answers the right token, in any case of the scheme's name", async () => {
    for (const scheme of ["Bearer", "bearer"]) {
      const response = await scrape({ authorization: `${scheme} ${TOKEN}` });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain("edgekv_http_requests_total");
    }
  });

  it("counts the refusals too, and never writes the token to the log", async () => {
    const response = await scrape({ authorization: `Bearer ${TOKEN}` });
    expect(response.body).toMatch(
      /edgekv_http_requests_total\{route="\/metrics",method="GET",status="401"\} [1-9]/,
    );
    expect(logged.length).toBeGreaterThan(5);
    expect(logged.join("")).not.toContain(TOKEN);
  });
});
