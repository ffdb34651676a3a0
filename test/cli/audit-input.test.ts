import { describe, expect, it } from "vitest";
import { parseAuditTime, parseInterval } from "../../src/cli/audit-input.ts";

const NOW = new Date("2026-11-28T12:00:00.000Z");

describe("audit times", () => {
  it.each([
    ["90s", "2026-11-28T11:58:30.000Z"],
    ["15m", "2026-11-28T11:45:00.000Z"],
    ["1h", "2026-11-28T11:00:00.000Z"],
    ["2d", "2026-11-26T12:00:00.000Z"],
    ["1w", "2026-11-21T12:00:00.000Z"],
    ["2026-11-01", "2026-11-01T00:00:00.000Z"],
    ["2026-11-28T10:00:00Z", "2026-11-28T10:00:00.000Z"],
    ["2026-11-28T10:00+02:00", "2026-11-28T08:00:00.000Z"],
    ["2026-11-28T10:00:00.250-05:00", "2026-11-28T15:00:00.250Z"],
  ])("reads %s as %s", (text, iso) => {
    expect(parseAuditTime("--since", text, NOW)).toBe(iso);
  });

  it.each(["", "1", "h", "1y", "-1h", "2026-11-28T10:00", "2026-02-30", "28/11/2026", "now"])(
    "refuses %j in one line",
    (text) => {
      expect(() => parseAuditTime("--since", text, NOW)).toThrow(new RegExp(`^Invalid --since "${text}": `));
    },
  );
});

describe("--interval", () => {
  it.each([
    ["1", 1_000],
    ["0.1", 100],
    ["2.5", 2_500],
    ["3600", 3_600_000],
  ])("reads %s seconds", (text, milliseconds) => {
    expect(parseInterval(text)).toBe(milliseconds);
  });

  it.each(["0", "0.05", "3601", "1e3", "-1", "x"])("refuses %s", (text) => {
    expect(() => parseInterval(text)).toThrow(/^Invalid --interval /);
  });
});
