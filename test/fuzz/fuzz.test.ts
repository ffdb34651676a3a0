import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../edgegrid/seeded-random.ts";
import { createGenerator } from "./generate.ts";
import { OPERATIONS } from "./operations.ts";
import { problemsOf } from "./response-checks.ts";
import { describeRequest, send } from "./wire.ts";
import { createWorld, REFERENCE_HEADER, type World } from "./world.ts";

/** Set EDGEKV_FUZZ_SEED to explore other sequences; a failure names the seed that found it. */
const SEED = Number(process.env.EDGEKV_FUZZ_SEED ?? 0xed6e_f022);
const REQUESTS = 2_000;
/** Generation stops here even if REQUESTS is not reached (and the count assertion then fails). */
const TIME_BUDGET_MS = 20_000;
/** About 3 s on a quiet 2-core machine; the budget and setup must fit in the test's timeout. */
const TEST_TIMEOUT_MS = TIME_BUDGET_MS + 20_000;

if (!Number.isSafeInteger(SEED)) throw new Error(`EDGEKV_FUZZ_SEED must be an integer, not ${SEED}.`);

describe(`fuzzing every operation of the API document (seed ${SEED}, ${REQUESTS} requests)`, () => {
  let world: World;
  let sent = 0;
  const byOperation = new Map<string, Set<number>>();

  beforeAll(async () => {
    world = await createWorld();
  }, TEST_TIMEOUT_MS);
  afterAll(async () => {
    // Fails the suite with every response that differed from the API document.
    if (world !== undefined) await world.h.close();
  });

  it(
    "answers no request with a 5xx, and every error in its contract's shape with its trace id",
    async () => {
      const random = seededRandom(SEED);
      const generator = createGenerator(random, world);
      const findings: string[] = [];
      const byStatus = new Map<number, number>();
      const started = performance.now();
      while (sent < REQUESTS && performance.now() - started < TIME_BUDGET_MS) {
        const generated = generator.next();
        const { request, operationId } = generated;
        const response = await send(world.h, request);
        sent += 1;
        generator.answered(response.statusCode);
        byStatus.set(response.statusCode, (byStatus.get(response.statusCode) ?? 0) + 1);
        const problems = await problemsOf(generated, response);
        if (problems.length > 0) {
          findings.push(
            `#${sent} ${describeRequest(request)}\n  → ${response.statusCode} ${problems.join("; ")}: ${response.body.slice(0, 300)}`,
          );
        }
        if (operationId !== undefined) {
          byOperation.set(operationId, (byOperation.get(operationId) ?? new Set()).add(response.statusCode));
        }
      }
      const statuses = [...byStatus].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
      console.info(
        `fuzz seed ${SEED}: ${sent} requests in ${Math.round(performance.now() - started)} ms: ${statuses.join(" ")}`,
      );
      expect(findings, `seed ${SEED}: ${findings.length} findings`).toEqual([]);
      expect(sent, `only ${sent} requests within ${TIME_BUDGET_MS} ms`).toBe(REQUESTS);
    },
    TEST_TIMEOUT_MS,
  );

  it("reached every operation, and past the validators to a success on each", () => {
    const missing = OPERATIONS.filter(
      (operation) => ![...(byOperation.get(operation.operationId) ?? [])].some((status) => status < 300),
    );
    expect(missing.map((operation) => operation.operationId)).toEqual([]);
  });

  it("still answers correctly afterwards", async () => {
    const { h, main } = world;
    const admin = (method: string, url: string, body?: unknown) =>
      send(h, {
        method,
        url,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: Buffer.from(JSON.stringify(body)) }),
        auth: { kind: "signed", credentials: main, skewSeconds: 0, nonce: randomUUID() },
      });
    const namespaces = "/edgekv/v1/networks/production/namespaces";
    expect(
      (await admin("POST", namespaces, { namespace: "afterfuzz", retentionInSeconds: 0, groupId: 0 }))
        .statusCode,
    ).toBe(200);
    const created = await admin("POST", "/edgekv/v1/tokens", {
      name: "after-fuzz",
      allowOnProduction: true,
      allowOnStaging: false,
      namespacePermissions: { afterfuzz: ["r", "w", "d"] },
    });
    expect(created.statusCode, created.body).toBe(200);
    const { uuid } = created.json() as { uuid: string };
    expect((await admin("GET", "/edgekv/v1/tokens/after-fuzz")).json()).toMatchObject({ name: "after-fuzz" });
    const listed = (await admin("GET", "/edgekv/v1/tokens")).json() as { tokens: Array<{ name: string }> };
    expect(listed.tokens.map((token) => token.name)).toContain("after-fuzz");

    const item = "/api/v1/namespaces/afterfuzz/groups/g/items/k";
    const edge = (method: string, body?: string) =>
      send(h, {
        method,
        url: item,
        headers: {
          [REFERENCE_HEADER]: uuid,
          ...(body === undefined ? {} : { "content-type": "text/plain" }),
        },
        ...(body === undefined ? {} : { body: Buffer.from(body) }),
        auth: { kind: "none" },
      });
    expect((await edge("PUT", "after the storm")).statusCode).toBe(200);
    expect((await edge("GET")).body).toBe("after the storm");
    expect((await admin("GET", `${namespaces}/afterfuzz/groups/g/items/k`)).body).toBe("after the storm");

    expect((await admin("DELETE", "/edgekv/v1/tokens/after-fuzz")).statusCode).toBe(200);
    const after = (await admin("GET", "/edgekv/v1/tokens")).json() as { tokens: Array<{ name: string }> };
    expect(after.tokens.map((token) => token.name)).not.toContain("after-fuzz");
    expect((await admin("DELETE", `${namespaces}/afterfuzz?sync=true`)).statusCode).toBe(200);
    expect((await h.app.inject({ method: "GET", url: "/_edgekv/health" })).statusCode).toBe(200);
  });
});
