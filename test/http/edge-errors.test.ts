import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { formatTimestamp, signRequest } from "../../src/edgegrid/index.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { problem } from "../support/problem.ts";
import { sendRaw } from "../support/raw-http.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A harness whose server listens on a plain-HTTP port, with its log lines kept. */
async function listening() {
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line !== "") lines.push(JSON.parse(line));
      done();
    },
  });
  h = await createHarness({ logger: pino({ level: "info" }, sink) });
  await h.app.listen({ host: "127.0.0.1", port: 0 });
  return { port: (h.app.server.address() as AddressInfo).port, lines };
}

describe("answers that never reach a route are still problem+json with X-Trace-Id", () => {
  it("a path segment over 1024 characters is 400 EKV_2000, not 500", async () => {
    h = await createHarness();
    for (const url of [
      `/edgekv/v1/tokens/${"a".repeat(1025)}`,
      `/api/v1/namespaces/default/groups/g/items/${"k".repeat(2000)}`,
    ]) {
      const response = await h.app.inject({ method: "GET", url });
      expect(response.statusCode).toBe(400);
      expect(response.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
      expect(response.headers["x-trace-id"]).toMatch(/^[0-9a-f]{16}$/);
      expect(response.json()).toEqual(
        problem(400, "EKV_2000", "A path segment is longer than 1024 characters."),
      );
    }
  });

  it("a path that is not valid percent-encoding carries X-Trace-Id", async () => {
    h = await createHarness();
    const response = await h.app.inject({ method: "GET", url: "/edgekv/v1/tokens/%FF" });
    expect(response.statusCode).toBe(400);
    expect(response.headers["x-trace-id"]).toMatch(/^[0-9a-f]{16}$/);
    expect(response.json().additionalDetail.requestId).toBe(response.headers["x-trace-id"]);
  });

  it.each([
    ["an unknown method", 400, "FOO /edgekv/v1/tokens HTTP/1.1\r\nHost: x\r\n\r\n", /not valid HTTP\/1\.1/],
    ["a broken request line", 400, "GET\r\n\r\n", /not valid HTTP\/1\.1/],
    [
      "headers over Node's limit",
      431,
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(20_000)}\r\n\r\n`,
      /headers are too large/,
    ],
  ])("%s is %i problem+json, logged as one short line", async (_case, status, bytes, detail) => {
    const { port, lines } = await listening();
    const response = await sendRaw(port, bytes);
    expect(response.status).toBe(status);
    expect(response.headers["content-type"]).toBe("application/problem+json");
    expect(response.headers["x-trace-id"]).toMatch(/^[0-9a-f]{16}$/);
    const body = JSON.parse(response.body);
    expect(body).toMatchObject({ status, errorCode: "EKV_2000", detail: expect.stringMatching(detail) });
    expect(body.additionalDetail.requestId).toBe(response.headers["x-trace-id"]);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(lines.some((line) => line.msg === "refused a malformed request")).toBe(true);
  });

  it("an upload the client abandons is logged as the client going away, not as an error", async () => {
    const { port, lines } = await listening();
    // Signed by a real client, so it passes the checks made before the body is read.
    const harness = h;
    if (harness === undefined) throw new Error("no harness");
    const authorization = signRequest({
      credentials: harness.credentials,
      method: "POST",
      host: "x",
      target: "/edgekv/v1/tokens",
      body: Buffer.alloc(1000, 0x20),
      timestamp: formatTimestamp(harness.clock.now()),
      nonce: "abandoned",
    });
    await new Promise<void>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port }, () => {
        socket.write(
          `POST /edgekv/v1/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nContent-Length: 1000\r\n\r\n{"name":`,
        );
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on("close", () => resolve());
    });
    const deadline = Date.now() + 2_000;
    while (!lines.some((line) => line.msg.includes("went away")) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(lines.some((line) => line.level === 30 && line.msg.includes("went away"))).toBe(true);
  });
});
