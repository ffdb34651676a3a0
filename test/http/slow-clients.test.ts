import { afterEach, describe, expect, it } from "vitest";
import {
  delay,
  openRaw,
  type RawClient,
  slowBody,
  startTestServer,
  type TestServer,
  whenClosed,
  within,
} from "./socket-clients.ts";

const REQUEST_TIMEOUT_S = 2;
// Node checks deadlines every half second; the rest is for a busy machine.
const MARGIN_MS = 2_500;

let running: TestServer | undefined;
const clients: RawClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await running?.close();
  running = undefined;
});

/** Opens `count` connections that each send a request's headers and one byte of its body. */
async function slowBodies(server: TestServer, count: number): Promise<RawClient[]> {
  const opened = await Promise.all(Array.from({ length: count }, () => openRaw(server.port, server.ca)));
  clients.push(...opened);
  for (const client of opened) client.write(slowBody(server));
  return opened;
}

/** Legitimate requests, one pair at a time, until `done` (at most 100 rounds): the statuses they got. */
async function legitimateTraffic(server: TestServer, done: () => boolean): Promise<number[]> {
  const statuses: number[] = [];
  for (let round = 0; round < 100 && !done(); round++) {
    statuses.push(...(await Promise.all([server.signedGet(), server.health()])));
    await delay(50);
  }
  return statuses;
}

const problemBody = (text: string): unknown => JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4));

describe("slow clients", () => {
  it("200 slow-body connections are closed within the request timeout while a signed GET keeps answering", async () => {
    running = await startTestServer({ tls: false, requestTimeoutSeconds: REQUEST_TIMEOUT_S });
    const slow = await slowBodies(running, 200);
    let allClosed = false;
    const closed = Promise.all(slow.map((client) => client.closed)).then(() => {
      allClosed = true;
    });
    const traffic = legitimateTraffic(running, () => allClosed);

    await within(REQUEST_TIMEOUT_S * 1000 + MARGIN_MS, "closing 200 slow connections", closed);
    const statuses = await traffic;
    expect(statuses.length).toBeGreaterThanOrEqual(4);
    expect(new Set(statuses)).toEqual(new Set([200]));
    // The server answers 408 where it still can, or just closes.
    for (const client of slow) expect(client.received()).toMatch(/^(HTTP\/1\.1 408 |$)/);
    expect(running.lines.filter((line) => line.level >= 50)).toEqual([]);
  });

  it("over TLS, a slow client gets 408 problem+json at the request timeout while others are answered", async () => {
    running = await startTestServer({ requestTimeoutSeconds: REQUEST_TIMEOUT_S });
    expect(running.ca).toBeDefined();
    const slow = await slowBodies(running, 20);
    let allClosed = false;
    const closed = Promise.all(slow.map((client) => client.closed)).then((ages) => {
      allClosed = true;
      return ages;
    });
    const traffic = legitimateTraffic(running, () => allClosed);

    const ages = await within(
      REQUEST_TIMEOUT_S * 1000 + MARGIN_MS,
      "closing 20 slow TLS connections",
      closed,
    );
    // Not before it is due.
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_S * 1000 - 100);
    expect(new Set(await traffic)).toEqual(new Set([200]));
    const [first] = slow;
    expect(first?.received()).toMatch(/^HTTP\/1\.1 408 .*\r\nContent-Type: application\/problem\+json\r\n/s);
    expect(problemBody(first?.received() ?? "")).toMatchObject({
      status: 408,
      errorCode: "EKV_2000",
      title: "Request Timeout",
    });
  });

  it("with --max-connections 50 and 200 slow connections open, a new client still gets its answer", async () => {
    // The request timeout is far off: shedding, not the timeout, makes room.
    running = await startTestServer({ tls: false, maxConnections: 50 });
    const slow = await slowBodies(running, 200);
    await within(5_000, "shedding 150 slow connections", whenClosed(slow, 150));
    expect(await within(5_000, "a signed GET", running.signedGet())).toBe(200);
    expect(await within(5_000, "health", running.health())).toBe(200);
    const lines = running.lines.filter((line) => line.msg.startsWith("closed the oldest connection"));
    expect(lines.length).toBeGreaterThanOrEqual(151);
    expect(lines.every((line) => line.level === 30)).toBe(true);
  });

  it("over TLS, connections stuck before their handshake are shed for a new client", async () => {
    running = await startTestServer({ maxConnections: 5 });
    const { port } = running;
    // Plain TCP to the TLS port: each waits in its handshake until the headers timeout (10 s).
    const stuck = await Promise.all(Array.from({ length: 10 }, () => openRaw(port)));
    clients.push(...stuck);
    await within(5_000, "shedding 5 connections", whenClosed(stuck, 5));
    expect(await within(5_000, "a signed GET", running.signedGet())).toBe(200);
    // The signed GET's own connection took the place of one more.
    await within(5_000, "shedding a sixth", whenClosed(stuck, 6));
  });
});
