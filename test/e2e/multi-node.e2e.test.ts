import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClientCredentials, sendSigned } from "../../src/cli/edgegrid-client.ts";
import { edgercPathFor } from "../../src/data-dir.ts";
import { readEdgercSection, signRequest } from "../../src/edgegrid/index.ts";
import { type ChildServer, startChildServer } from "../support/child-server.ts";
import { withPostgres } from "../support/postgres.ts";

const DAY = 86_400;

withPostgres("the two-node PostgreSQL test", (adminUrl) => {
  // Two `edgekv serve` processes on one database, as behind a load balancer.
  describe("two server nodes on one PostgreSQL database", () => {
    const database = `edgekv_nodes_${randomBytes(5).toString("hex")}`;
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    const secretKey = randomBytes(32).toString("base64");
    let dir: string;
    const nodes: ChildServer[] = [];
    let credentials: ClientCredentials[] = [];
    let ca: string[] = [];

    const sql = async <T extends pg.QueryResultRow>(text: string, connection = url.toString()) => {
      const client = new pg.Client({ connectionString: connection });
      await client.connect();
      try {
        return (await client.query<T>(text)).rows;
      } finally {
        await client.end();
      }
    };

    beforeAll(async () => {
      await sql(`CREATE DATABASE ${database}`, adminUrl);
      dir = await mkdtemp(join(tmpdir(), "edgekv-nodes-"));
      const env = { EDGEKV_SECRET_KEY: secretKey };
      const args = (name: string) => [
        "--port",
        "0",
        "--data-dir",
        join(dir, name),
        "--database",
        url.toString(),
        "--clock",
        "manual",
        "--activation-delay",
        "0",
      ];
      // Both start at once: migrations, key rotation and the first-run client must each happen once.
      nodes.push(
        ...(await Promise.all([startChildServer(args("a"), env), startChildServer(args("b"), env)])),
      );
      credentials = ["a", "b"].map((name) =>
        readEdgercSection({
          text: readFileSync(edgercPathFor({ dataDir: join(dir, name), database: url.toString() }), "utf8"),
          section: "default",
        }),
      );
      ca = ["a", "b"].map((name) => readFileSync(join(dir, name, "tls", "cert.pem"), "utf8"));
    }, 60_000);

    afterAll(async () => {
      await Promise.all(nodes.map((node) => node.stop()));
      await rm(dir, { recursive: true, force: true });
      await sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`, adminUrl);
    });

    const call = (node: 0 | 1, method: string, target: string, body?: unknown) =>
      sendSigned({
        credentials: credentials[node] as ClientCredentials,
        method,
        target,
        ca: ca[node] as string,
        ...(body === undefined
          ? {}
          : { body: Buffer.from(JSON.stringify(body)), headers: { "Content-Type": "application/json" } }),
      });

    it("applied each migration once and agree on one first-run client and one signing key", async () => {
      const versions = await sql<{ version: number }>(
        "SELECT version FROM schema_migrations ORDER BY version",
      );
      expect(versions.map((row) => row.version)).toEqual([...new Set(versions.map((row) => row.version))]);
      expect(credentials[0]?.clientToken).toBe(credentials[1]?.clientToken);
      expect(await sql("SELECT kid FROM signing_keys")).toHaveLength(1);
    });

    it("gives exactly one 200 per name when both nodes create the same names at once", async () => {
      const names = Array.from({ length: 12 }, (_, index) => `race_${index}`);
      const body = (name: string) => ({
        name,
        allowOnStaging: true,
        allowOnProduction: true,
        namespacePermissions: { default: ["r"] },
      });
      const results = await Promise.all(
        names.flatMap((name) => [
          call(0, "POST", "/edgekv/v1/tokens", body(name)),
          call(1, "POST", "/edgekv/v1/tokens", body(name)),
        ]),
      );
      for (const [index, name] of names.entries()) {
        const pair = [results[2 * index]?.status, results[2 * index + 1]?.status].sort();
        expect(pair, name).toEqual([200, 409]);
      }
      const rows = await sql<{ n: number }>(
        "SELECT count(*)::int AS n FROM tokens WHERE name LIKE 'race_%' AND revoked_at IS NULL",
      );
      expect(rows[0]?.n).toBe(names.length);
    });

    it("refuses on one node a signed request already used on the other", async () => {
      const first = credentials[0] as ClientCredentials;
      const authorization = signRequest({
        credentials: first,
        method: "GET",
        host: first.host,
        target: "/edgekv/v1/tokens",
      });
      // The load balancer's host is the same for both nodes: node B sees node A's Host header.
      const send = (port: string, trusted: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const outgoing = request(
            {
              host: "127.0.0.1",
              port: Number(port),
              path: "/edgekv/v1/tokens",
              method: "GET",
              ca: trusted,
              headers: { Host: first.host, Authorization: authorization },
            },
            (response) => {
              let text = "";
              response.on("data", (chunk: Buffer) => {
                text += chunk.toString();
              });
              response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
            },
          );
          outgoing.on("error", reject);
          outgoing.end();
        });
      const portA = new URL(nodes[0]?.url ?? "").port;
      const portB = new URL(nodes[1]?.url ?? "").port;
      expect((await send(portA, ca[0] ?? "")).status).toBe(200);
      const replay = await send(portB, ca[1] ?? "");
      expect(replay.status).toBe(401);
      expect(JSON.parse(replay.body)).toMatchObject({ detail: "Nonce has already been used" });
    });

    /** A data-plane read of the default namespace's item on a node, with a token reference or JWT. */
    const edgeRead = (node: 0 | 1, header: string, credential: string) =>
      new Promise<number>((resolve, reject) => {
        const outgoing = request(
          {
            host: "127.0.0.1",
            port: Number(new URL(nodes[node]?.url ?? "").port),
            path: "/api/v1/namespaces/default/groups/g/items/k",
            method: "GET",
            ca: ca[node] ?? "",
            headers: { [header]: credential },
          },
          (response) => {
            response.resume();
            response.on("end", () => resolve(response.statusCode ?? 0));
          },
        );
        outgoing.on("error", reject);
        outgoing.end();
      });

    // The nodes started their manual clocks a moment apart; a move is written to the database and
    // taken by both, so a token node A activates "now" is active on node B too.
    const alignClocks = async () => {
      expect((await call(0, "POST", "/_edgekv/v1/clock", { advanceSeconds: 1 })).status).toBe(200);
    };

    it("refuses on node B within a second a token node A revoked, though node B had it cached", async () => {
      await alignClocks();
      const grant = {
        allowOnStaging: true,
        allowOnProduction: true,
        namespacePermissions: { default: ["r"] },
      };
      const expiry = new Date(Date.now() + 30 * DAY * 1000).toISOString().slice(0, 10);
      const enhanced = JSON.parse(
        (await call(0, "POST", "/edgekv/v1/tokens", { ...grant, name: "cached_ref" })).body,
      );
      const legacy = JSON.parse(
        (await call(0, "POST", "/edgekv/v1/tokens", { ...grant, name: "cached_jwt", expiry })).body,
      );
      expect(
        (await call(0, "PUT", "/edgekv/v1/networks/production/namespaces/default/groups/g/items/k", "v"))
          .status,
      ).toBe(200);
      const presented = [
        ["cached_ref", "X-Akamai-EdgeDB-Auth-Ref", enhanced.uuid as string],
        ["cached_jwt", "X-Akamai-EdgeDB-Auth", legacy.value as string],
      ] as const;
      for (const [name, header, credential] of presented) {
        // Node B reads (and caches) the token, many times, as an EdgeWorker under load would.
        for (let read = 0; read < 20; read += 1) expect(await edgeRead(1, header, credential)).toBe(200);
        expect((await call(0, "DELETE", `/edgekv/v1/tokens/${name}`)).status).toBe(200);
        // Node A, which revoked, refuses at once; node B within a second.
        expect(await edgeRead(0, header, credential)).toBe(401);
        const revokedAt = performance.now();
        let status = await edgeRead(1, header, credential);
        while (status === 200 && performance.now() - revokedAt < 1_000)
          status = await edgeRead(1, header, credential);
        expect(status, name).toBe(401);
        expect(performance.now() - revokedAt).toBeLessThan(1_000);
      }
    });

    it("serves on node B, at once, an item node A wrote after node B read the old value", async () => {
      await alignClocks();
      const grant = {
        allowOnStaging: true,
        allowOnProduction: true,
        namespacePermissions: { default: ["r"] },
      };
      const token = JSON.parse(
        (await call(0, "POST", "/edgekv/v1/tokens", { ...grant, name: "item_reader" })).body,
      );
      const item = "/edgekv/v1/networks/production/namespaces/default/groups/g/items/fresh";
      const read = (node: 0 | 1) =>
        new Promise<string>((resolve, reject) => {
          const outgoing = request(
            {
              host: "127.0.0.1",
              port: Number(new URL(nodes[node]?.url ?? "").port),
              path: "/api/v1/namespaces/default/groups/g/items/fresh",
              ca: ca[node] ?? "",
              headers: { "X-Akamai-EdgeDB-Auth-Ref": token.uuid as string },
            },
            (response) => {
              let text = "";
              response.on("data", (chunk: Buffer) => {
                text += chunk.toString();
              });
              response.on("end", () => resolve(`${response.statusCode} ${text}`));
            },
          );
          outgoing.on("error", reject);
          outgoing.end();
        });
      expect((await call(0, "PUT", item, "one")).status).toBe(200);
      // The admin API writes what it is sent: a JSON string here.
      expect(await read(1)).toBe('200 "one"');
      expect((await call(0, "PUT", item, "two")).status).toBe(200);
      const writtenAt = performance.now();
      let seen = await read(1);
      while (seen !== '200 "two"' && performance.now() - writtenAt < 1_000) seen = await read(1);
      expect(seen).toBe('200 "two"');
    });

    it("refreshes every due token exactly once when both nodes move the shared clock", async () => {
      const before = await sql<{ n: number }>(
        "SELECT count(*)::int AS n FROM tokens WHERE kind = 'enhanced' AND revoked_at IS NULL",
      );
      const now = Date.parse(
        (JSON.parse((await call(0, "GET", "/_edgekv/v1/clock")).body) as { now: string }).now,
      );
      // Both nodes are told the same time at once, as two operators (or two test runners) might.
      const set = { set: new Date(now + 60 * DAY * 1000).toISOString() };
      const moved = await Promise.all([
        call(0, "POST", "/_edgekv/v1/clock", set),
        call(1, "POST", "/_edgekv/v1/clock", set),
      ]);
      expect(moved.map((response) => response.status)).toEqual([200, 200]);
      // Move both clocks on a little: each node's scheduler timer fires again, and must find nothing due.
      const again = await Promise.all([
        call(0, "POST", "/_edgekv/v1/clock", { advanceSeconds: 1 }),
        call(1, "POST", "/_edgekv/v1/clock", { advanceSeconds: 1 }),
      ]);
      expect(again.map((response) => (JSON.parse(response.body) as { refreshed: number }).refreshed)).toEqual(
        [0, 0],
      );
      const versions = await sql<{ credential_version: number }>(
        "SELECT credential_version FROM tokens WHERE kind = 'enhanced' AND revoked_at IS NULL",
      );
      expect(versions).toHaveLength(before[0]?.n ?? -1);
      expect(versions.every((row) => row.credential_version === 2)).toBe(true);
      const reported = moved.reduce(
        (sum, response) => sum + (JSON.parse(response.body) as { refreshed: number }).refreshed,
        0,
      );
      expect(reported).toBeLessThanOrEqual(versions.length);
      // Both nodes now read the same time.
      const clocks = await Promise.all([
        call(0, "GET", "/_edgekv/v1/clock"),
        call(1, "GET", "/_edgekv/v1/clock"),
      ]);
      const [a, b] = clocks.map((response) => Date.parse((JSON.parse(response.body) as { now: string }).now));
      expect(Math.abs((a ?? 0) - (b ?? 0))).toBeLessThan(1000);
    });
  });
});
