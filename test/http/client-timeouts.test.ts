import { describe, expect, it } from "vitest";
import { parseRawResponse } from "../support/raw-http.ts";
import {
  delay,
  openRaw,
  type RawClient,
  slowBody,
  startTestServer,
  type TestServer,
  within,
} from "./socket-clients.ts";

type Cleanup = (fn: () => Promise<void> | void) => void;

/** A server of its own for one test (the tests run side by side: each waits on its own deadline). */
async function serverFor(settings: Record<string, unknown>, onTestFinished: Cleanup): Promise<TestServer> {
  const server = await startTestServer(settings);
  onTestFinished(() => server.close());
  return server;
}

/** A plain TCP connection, whether the server speaks TLS or not. */
async function open(server: TestServer, onTestFinished: Cleanup): Promise<RawClient> {
  const client = await openRaw(server.port);
  onTestFinished(() => client.destroy());
  return client;
}

describe.concurrent("client timeouts", () => {
  it("a slow body gets 408 problem+json with a trace id once the request timeout passes", async ({
    onTestFinished,
  }) => {
    const running = await serverFor({ tls: false, requestTimeoutSeconds: 1.5 }, onTestFinished);
    const client = await open(running, onTestFinished);
    client.write(slowBody(running));
    const age = await within(5_000, "the 408", client.closed);
    expect(age).toBeGreaterThanOrEqual(1_400);
    const response = parseRawResponse(client.received());
    expect(response.status).toBe(408);
    expect(response.headers["content-type"]).toBe("application/problem+json");
    expect(response.headers.connection).toBe("close");
    expect(JSON.parse(response.body)).toMatchObject({
      status: 408,
      errorCode: "EKV_2000",
      additionalDetail: { requestId: response.headers["x-trace-id"] },
    });
  });

  it("slowloris headers, a line every 250 ms, are cut at the headers timeout", async ({ onTestFinished }) => {
    const running = await serverFor(
      { tls: false, headersTimeoutSeconds: 1, requestTimeoutSeconds: 8 },
      onTestFinished,
    );
    const client = await open(running, onTestFinished);
    client.write("GET /_edgekv/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    // Bounded by count (10 s at most) and by the server closing.
    for (let line = 0; line < 40 && !client.isClosed(); line++) {
      client.write(`X-Slow-${line}: x\r\n`);
      await delay(250);
    }
    const age = await within(1_000, "the close", client.closed);
    expect(age).toBeGreaterThanOrEqual(900);
    // Well before the request timeout.
    expect(age).toBeLessThan(6_000);
    expect(parseRawResponse(client.received()).status).toBe(408);
  });

  it("a connection that never sends a byte is closed at the headers timeout", async ({ onTestFinished }) => {
    const running = await serverFor(
      { tls: false, headersTimeoutSeconds: 1, requestTimeoutSeconds: 8 },
      onTestFinished,
    );
    const client = await open(running, onTestFinished);
    const age = await within(5_000, "the close", client.closed);
    expect(age).toBeGreaterThanOrEqual(900);
    expect(client.received()).toMatch(/^(HTTP\/1\.1 408 |$)/);
  });

  it("an idle keep-alive connection is closed after the keep-alive timeout", async ({ onTestFinished }) => {
    const running = await serverFor({ tls: false, keepAliveTimeoutSeconds: 1 }, onTestFinished);
    const client = await open(running, onTestFinished);
    client.write("GET /_edgekv/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    const age = await within(5_000, "the close", client.closed);
    expect(parseRawResponse(client.received()).status).toBe(200);
    // Far less than the request timeout (30 s) that would close it otherwise.
    expect(age).toBeGreaterThanOrEqual(900);
  });

  it("a TLS handshake that never starts is cut at the headers timeout", async ({ onTestFinished }) => {
    const running = await serverFor({ headersTimeoutSeconds: 1 }, onTestFinished);
    const client = await open(running, onTestFinished);
    const age = await within(5_000, "the close", client.closed);
    expect(age).toBeGreaterThanOrEqual(900);
  });
});
