import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sendSigned } from "../../src/cli/edgegrid-client.ts";
import { parseServeConfig } from "../../src/config.ts";
import { EdgeKvError } from "../../src/errors.ts";
import { createLogger, type RunningServer, startServer } from "../../src/server.ts";
import { injectTransport } from "../cli/in-process.ts";
import { at, clientOf, EXAMPLE, example } from "./seed-support.ts";

const logger = createLogger({ logLevel: "silent", logFormat: "json" });

// `edgekv serve --seed FILE`: applied before listening, refused in one line, applied again by a reset.
describe("a server started with --seed", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "edgekv-start-seed-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const start = (seed: string, settings: Record<string, string> = {}) =>
    startServer(
      parseServeConfig({ port: "0", dataDir: join(dir, "data"), tls: "false", seed, ...settings }),
      {
        logger,
      },
    );
  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
  const admin = (server: RunningServer) => (method: "GET" | "POST", target: string, body?: unknown) =>
    sendSigned(
      {
        credentials: { host: `127.0.0.1:${server.port}`, ...clientOf(example(), 0) },
        method,
        target,
        ...(body === undefined
          ? {}
          : { body: Buffer.from(JSON.stringify(body)), headers: { "Content-Type": "application/json" } }),
      },
      injectTransport(server.app),
    );

  it("holds the seed before it listens, keeps it across restarts, and a reset with reseed brings it back", async () => {
    const seed = await file("seed.json", EXAMPLE);
    let server = await start(seed);
    try {
      const call = admin(server);
      const token = JSON.parse((await call("GET", "/edgekv/v1/tokens/ci-token")).body) as { uuid: string };
      expect(token.uuid).toMatch(/^[0-9a-f-]{36}$/);
      await server.close();
      server = await start(seed);
      const again = admin(server);
      expect(JSON.parse((await again("GET", "/edgekv/v1/tokens/ci-token")).body).uuid).toBe(token.uuid);
      const reset = await again("POST", "/_edgekv/v1/reset", { all: true, credentials: true, reseed: true });
      expect(reset.status, reset.body).toBe(200);
      // The caller and the first-run client stay; acme's reader goes, and the seed brings it back.
      expect(JSON.parse(reset.body)).toMatchObject({
        accounts: ["acme", "default"],
        deleted: { tokens: 3, clients: 1 },
        reseeded: { accounts: 0, clients: 1, tokens: 3, items: 6 },
      });
      const firstRun = await server.store.settings.get("first_run.client_token");
      expect(await server.store.clients.get(firstRun ?? "")).toMatchObject({ enabled: true });
      const reseeded = JSON.parse((await again("GET", "/edgekv/v1/tokens/ci-token")).body) as {
        uuid: string;
      };
      expect(reseeded.uuid).not.toBe(token.uuid);
    } finally {
      await server.close();
    }
  });

  it("reads a YAML seed", async () => {
    const yaml = [
      "accounts:",
      "  - id: yaml-account",
      "    cpcode: 7654321",
      "    namespaces:",
      "      - name: notes",
      "        items:",
      "          - { group: g, key: k, text: from YAML }",
    ].join("\n");
    const server = await start(await file("seed.yaml", yaml), { database: "memory" });
    try {
      expect(await server.store.accounts.get("yaml-account")).toMatchObject({ cpcode: "7654321" });
    } finally {
      await server.close();
    }
  });

  it.each<[string, string, (path: string) => RegExp]>([
    ["a file that is not JSON", "{nope", (path) => new RegExp(`^${path} is not JSON: `)],
    [
      "a wrong field",
      JSON.stringify({ accounts: [{ id: "x", clients: [{ clientToken: "akab-x" }] }] }),
      (path) =>
        new RegExp(`^${path}: accounts\\[0\\]\\.clients\\[0\\]\\.clientToken: must be 8 to 128 letters`),
    ],
    [
      "an account listed twice",
      JSON.stringify({ accounts: [{ id: "x" }, { id: "x" }] }),
      (path) =>
        new RegExp(
          `^${path}: accounts\\[1\\]\\.id: account x is listed twice \\(also accounts\\[0\\]\\.id\\)$`,
        ),
    ],
  ])("refuses %s in one line, before it opens or writes anything", async (_case, text, message) => {
    const path = await file("bad.json", text);
    const starting = start(path);
    await expect(starting).rejects.toThrow(EdgeKvError);
    await expect(start(path)).rejects.toThrow(message(path));
    await expect(readdir(join(dir, "data"))).rejects.toThrow(/ENOENT/);
  });

  it("refuses a seed the database contradicts, naming the file and the field", async () => {
    const seed = await file("seed.json", EXAMPLE);
    const server = await start(seed);
    await server.close();
    const changed = example();
    at(changed, "accounts", 0, "clients", 0).accessToken = "akab-another-access-token-0001";
    const other = await file("other.json", JSON.stringify(changed));
    await expect(start(other)).rejects.toThrow(
      `The seed file ${other} was not applied: accounts[0].clients[0].accessToken: API client akab-ci-admin-00000000-000000000001 exists with another access token`,
    );
  });
});
