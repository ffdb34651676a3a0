import { describe, expect, it } from "vitest";
import { readClock, type ServerClock, serverNow } from "../../console/src/lib/server-clock.ts";

const START: ServerClock = { serverMs: Date.parse("2026-03-10T12:00:00Z"), receivedAt: 1000, mode: "system" };

describe("the server's time in the page", () => {
  it("moves on with the browser's monotonic clock under a system clock", () => {
    expect(serverNow(START, 4000)).toBe(START.serverMs + 3000);
  });

  it("stands still under a manual clock", () => {
    expect(serverNow({ ...START, mode: "manual" }, 90_000)).toBe(START.serverMs);
  });

  it("takes each new reading, and ignores one that is not a time", () => {
    const read = readClock(START, "2030-01-01T00:00:00.000Z", 5000);
    expect(read).toEqual({ serverMs: Date.parse("2030-01-01T00:00:00Z"), receivedAt: 5000, mode: "system" });
    expect(readClock(START, "soon", 5000)).toBe(START);
    expect(readClock(START, null, 5000)).toBe(START);
  });

  it("never runs backwards when the monotonic clock reads earlier", () => {
    expect(serverNow(START, 0)).toBe(START.serverMs);
  });
});
