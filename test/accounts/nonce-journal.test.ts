import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openNonceJournal } from "../../src/accounts/nonce-journal.ts";
import { createRecentNonces } from "../../src/accounts/recent-nonces.ts";

const dir = mkdtempSync(join(tmpdir(), "edgekv-journal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshPath = () => {
  files += 1;
  return join(dir, `journal-${files}`);
};

describe("the nonce journal", () => {
  it("brings back, at the next start, the nonces still live; expired ones and torn lines are dropped", () => {
    const path = freshPath();
    let now = 1_000_000;
    const first = openNonceJournal({ path, now: () => now });
    first.append({ clientToken: "akab-a", nonce: "n1", expiresAt: now + 90_000 });
    first.append({ clientToken: "akab-a", nonce: "n2", expiresAt: now + 10 });
    // No close: a process killed mid-flight; and half a line written as it died.
    appendFileSync(path, '[99999999999,"akab-a","n');
    now += 1_000;
    const second = openNonceJournal({ path, now: () => now });
    expect(second.loaded).toEqual([{ clientToken: "akab-a", nonce: "n1", expiresAt: 1_090_000 }]);
    second.close();
    first.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("keeps two generations: the previous one goes once every nonce in it has expired", () => {
    const path = freshPath();
    let now = 0;
    const journal = openNonceJournal({ path, now: () => now });
    journal.append({ clientToken: "c", nonce: "old", expiresAt: 120_000 });
    now = 61_000;
    journal.append({ clientToken: "c", nonce: "a", expiresAt: 181_000 }); // rotates: "old" is now previous
    expect(readFileSync(`${path}.1`, "utf8")).toContain('"old"');
    now = 122_000;
    journal.append({ clientToken: "c", nonce: "b", expiresAt: 242_000 }); // "old" expired: rotates again
    expect(readFileSync(`${path}.1`, "utf8")).not.toContain('"old"');
    expect(readFileSync(`${path}.1`, "utf8")).toContain('"a"');
    now = 150_000;
    journal.append({ clientToken: "c", nonce: "c", expiresAt: 270_000 }); // "a" still live: no rotation
    expect(readFileSync(`${path}.1`, "utf8")).toContain('"a"');
    journal.close();
    const reopened = openNonceJournal({ path, now: () => now });
    expect(reopened.loaded.map((entry) => entry.nonce).sort()).toEqual(["a", "b", "c"]);
    reopened.close();
  });

  it("makes recent nonces refuse, after a restart, what was accepted before it", () => {
    const path = freshPath();
    const now = () => new Date(5_000_000);
    const nonce = { clientToken: "akab-x", nonce: "once", expiresAt: new Date(5_090_000) };
    const before = openNonceJournal({ path, now: () => now().getTime() });
    expect(createRecentNonces({ now, journal: before }).remember(nonce)).toBe(true);
    before.close();
    const after = openNonceJournal({ path, now: () => now().getTime() });
    const recent = createRecentNonces({ now, journal: after });
    expect(recent.remember(nonce)).toBe(false);
    expect(recent.remember({ ...nonce, nonce: "other" })).toBe(true);
    after.close();
    expect(existsSync(path)).toBe(true);
  });
});
