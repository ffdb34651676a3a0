import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSecretBox, type SecretBox } from "../../src/accounts/secret-box.ts";
import { systemClock } from "../../src/clock.ts";
import {
  describeSnapshot,
  exportState,
  importState,
  readSnapshot,
  SnapshotError,
  snapshotText,
} from "../../src/state/snapshot.ts";
import { ForeignSecretsError } from "../../src/state/snapshot-convert.ts";
import { openSqliteStore } from "../../src/storage/sqlite/sqlite-store.ts";
import type { StoreState } from "../../src/storage/state-repository.ts";
import type { Store } from "../../src/storage/store.ts";
import { sampleState } from "../storage/state-fixture.ts";
import { describeEachDialect, openTestStore } from "../support/dialects.ts";

/** The sample state with real secrets, sealed with `box`. */
function sealedState(box: SecretBox): StoreState {
  const state = sampleState();
  return {
    ...state,
    clients: state.clients.map((row) => ({ ...row, sealedSecret: box.seal(`secret of ${row.clientToken}`) })),
    signingKeys: state.signingKeys.map((row) => ({
      ...row,
      sealedPrivateJwk: box.seal(JSON.stringify({ kty: "EC", crv: "P-256", d: `d-${row.kid}` })),
    })),
  };
}

const sqlite = () => openSqliteStore({ location: ":memory:", clock: systemClock });

describe("a snapshot", () => {
  const box = createSecretBox(randomBytes(32));
  const otherBox = createSecretBox(randomBytes(32));
  let source: Store;
  let target: Store;
  beforeEach(async () => {
    source = sqlite();
    target = sqlite();
    await source.state.replace(sealedState(box), { onlyIfEmpty: true });
  });
  afterEach(async () => {
    await Promise.all([source.close(), target.close()]);
  });

  it("is versioned, exact and stable: dates to the millisecond, values as base64 with their type", async () => {
    const snapshot = await exportState({ store: source, secretBox: box }, { includeSecrets: false });
    expect(snapshot).toMatchObject({ format: "edgekv-server-state", version: 1, secrets: "sealed" });
    expect(snapshot.accounts[1]?.createdAt).toBe("2026-11-28T10:00:00.123Z");
    expect(snapshot.items.find((row) => row.key === "b")).toMatchObject({
      contentType: "text/plain; charset=utf-8",
      value: Buffer.from("héllo\r\n\u{1F600}\u0000").toString("base64"),
    });
    expect(snapshot.clients[0]?.sealedSecret).toMatch(/^v1:/);
    expect(snapshot.clients[0]).not.toHaveProperty("clientSecret");
    const again = await exportState({ store: source, secretBox: box }, { includeSecrets: false });
    expect(snapshotText(again)).toBe(snapshotText(snapshot));
    expect(describeSnapshot(snapshot)).toBe(
      "3 accounts, 2 API clients, 4 tokens, 2 signing keys, 5 namespaces, 5 items",
    );
  });

  it("round-trips through a file's text into a database with the same secret key", async () => {
    const text = snapshotText(
      await exportState({ store: source, secretBox: box }, { includeSecrets: false }),
    );
    const deps = { store: target, secretBox: box, keySource: "test key" };
    expect(await importState(deps, readSnapshot(text, "state.json"), { replace: false })).toBe(true);
    expect(snapshotText(await exportState(deps, { includeSecrets: false }))).toBe(text);
    expect(await target.state.read()).toEqual(await source.state.read());
  });

  it("carries plain secrets with --include-secrets, resealed with the target's key", async () => {
    const plain = await exportState({ store: source, secretBox: box }, { includeSecrets: true });
    expect(plain.secrets).toBe("plain");
    expect(plain.clients[0]?.clientSecret).toBe("secret of akab-aa");
    expect(plain.signingKeys[0]?.privateJwk).toEqual({ kty: "EC", crv: "P-256", d: "d-kid-a" });
    const deps = { store: target, secretBox: otherBox, keySource: "other key" };
    await importState(deps, readSnapshot(snapshotText(plain), "plain.json"), { replace: false });
    const stored = await target.clients.get("akab-aa");
    expect(otherBox.open(stored?.sealedSecret ?? "")).toBe("secret of akab-aa");
    expect(snapshotText(await exportState(deps, { includeSecrets: true }))).toBe(snapshotText(plain));
  });

  it("refuses sealed secrets that the target's key cannot open, naming the fix, and writes nothing", async () => {
    const sealed = await exportState({ store: source, secretBox: box }, { includeSecrets: false });
    const deps = { store: target, secretBox: otherBox, keySource: "/data/secret.key" };
    const importing = importState(deps, sealed, { replace: false });
    await expect(importing).rejects.toThrow(ForeignSecretsError);
    await expect(importState(deps, sealed, { replace: false })).rejects.toThrow(
      /sealed with another secret key than this database's \(\/data\/secret\.key\).*--include-secrets/,
    );
    expect((await target.state.read()).accounts).toEqual([]);
  });

  it("is imported into a database that holds something only with replace", async () => {
    const snapshot = await exportState({ store: source, secretBox: box }, { includeSecrets: false });
    await target.settings.set("manual_clock.now", "2027-01-01T00:00:00.000Z");
    const deps = { store: target, secretBox: box, keySource: "test key" };
    expect(await importState(deps, snapshot, { replace: false })).toBe(false);
    expect(await target.state.read()).toMatchObject({
      accounts: [],
      settings: { "manual_clock.now": "2027-01-01T00:00:00.000Z" },
    });
    expect(await importState(deps, snapshot, { replace: true })).toBe(true);
    expect((await target.state.read()).settings).toEqual(sampleState().settings);
  });

  describe("that is wrong", () => {
    let valid: Record<string, unknown>;
    beforeEach(async () => {
      valid = JSON.parse(
        snapshotText(await exportState({ store: source, secretBox: box }, { includeSecrets: false })),
      ) as Record<string, unknown>;
    });
    const list = (name: string) => valid[name] as Array<Record<string, unknown>>;
    it.each<[string, (snapshot: Record<string, unknown>) => unknown, RegExp]>([
      ["not JSON", () => "{nope", /^s\.json is not JSON: /],
      ["another format", (s) => ({ ...s, format: "other" }), /: format: must be "edgekv-server-state"/],
      ["a newer version", (s) => ({ ...s, version: 2 }), /: version: must be 1, the only version/],
      ["an unknown field", (s) => ({ ...s, extra: 1 }), /: extra: is not a known field/],
      [
        "a date without milliseconds",
        (s) => {
          list("accounts")[0] = { ...list("accounts")[0], createdAt: "2026-11-28T10:00:00Z" };
          return s;
        },
        /: accounts\[0\]\.createdAt: must be a UTC time/,
      ],
      [
        "a value that is not base64",
        (s) => {
          list("items")[2] = { ...list("items")[2], value: "***" };
          return s;
        },
        /: items\[2\]\.value: must be base64/,
      ],
      [
        "a plain secret in a sealed snapshot",
        (s) => {
          list("clients")[1] = { ...list("clients")[1], clientSecret: "x" };
          return s;
        },
        /: clients\[1\]\.sealedSecret: every client has a sealedSecret \(and only that\)/,
      ],
      [
        "a client listed twice",
        (s) => {
          list("clients").push(list("clients")[0] ?? {});
          return s;
        },
        /: clients\[2\]: client akab-aa is listed twice \(also clients\[0\]\)/,
      ],
      [
        "two live tokens of one name",
        (s) => {
          const live = list("tokens").find((row) => row.name === "legacy") ?? {};
          list("tokens").push({ ...live, uuid: "20000000-0000-4000-8000-000000000000" });
          return s;
        },
        /: tokens\[4\]: live token acme\/legacy is listed twice/,
      ],
      [
        "an item of a namespace that is not there",
        (s) => {
          list("items")[0] = { ...list("items")[0], namespace: "gone" };
          return s;
        },
        /: items\[0\]: namespace Beta\/staging\/gone is not in the snapshot/,
      ],
      [
        "a __proto__ setting",
        () => `{"format":"edgekv-server-state","version":1,"secrets":"sealed","settings":{"__proto__":"x"}}`,
        /: settings: must not have a key "__proto__"/,
      ],
    ])("%s is refused, naming the first wrong field", (_case, change, message) => {
      const changed = change(valid);
      const text = typeof changed === "string" ? changed : JSON.stringify(changed);
      expect(() => readSnapshot(text, "s.json")).toThrow(SnapshotError);
      expect(() => readSnapshot(text, "s.json")).toThrow(message);
    });
  });
});

describeEachDialect("a snapshot between SQLite and the dialect", (dialect) => {
  it(`exported from SQLite, imported into ${dialect} and exported again is the same file (and back)`, async () => {
    const box = createSecretBox(randomBytes(32));
    const first = sqlite();
    const { store: middle, dispose } = await openTestStore(systemClock);
    const last = sqlite();
    try {
      await first.state.replace(sealedState(box), { onlyIfEmpty: true });
      const deps = (store: Store) => ({ store, secretBox: box, keySource: "test key" });
      const exported = snapshotText(await exportState(deps(first), { includeSecrets: false }));
      await importState(deps(middle), readSnapshot(exported, "a.json"), { replace: false });
      const again = snapshotText(await exportState(deps(middle), { includeSecrets: false }));
      expect(again).toBe(exported);
      await importState(deps(last), readSnapshot(again, "b.json"), { replace: false });
      expect(snapshotText(await exportState(deps(last), { includeSecrets: false }))).toBe(exported);
    } finally {
      await Promise.all([first.close(), last.close(), dispose()]);
    }
  });
});
