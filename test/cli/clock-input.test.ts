import { describe, expect, it } from "vitest";
import { describeOffset, describeWork } from "../../src/cli/clock.ts";
import { parseDuration, parseInstant } from "../../src/cli/clock-input.ts";
import { formatApproximately, formatDuration } from "../../src/duration.ts";

describe("a duration", () => {
  it.each([
    ["90s", 90],
    ["15m", 900],
    ["2h", 7_200],
    ["60d", 5_184_000],
    ["1d12h", 129_600],
    ["1h30m", 5_400],
    ["1d2h3m4s", 93_784],
    ["0s", 0],
    ["3650d", 315_360_000],
    ["1w", 604_800],
  ])("reads %s as %i seconds", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each([
    ["", /Invalid duration "": give whole weeks, days, hours, minutes or seconds, largest first, e\.g\. 90s/],
    ["60", /Invalid duration "60": give whole weeks/],
    ["5x", /Invalid duration "5x"/],
    ["1d1w", /Invalid duration "1d1w"/],
    ["12h1d", /Invalid duration "12h1d"/],
    ["1d1d", /Invalid duration "1d1d"/],
    ["1.5h", /Invalid duration "1\.5h"/],
    ["-5m", /Invalid duration "-5m"/],
    ["2H", /Invalid duration "2H"/],
    ["1d 12h", /Invalid duration "1d 12h"/],
    ["3651d", /at most 3650d \(ten years\) at once/],
  ])("refuses %j in one line naming the accepted forms", (text, message) => {
    expect(() => parseDuration(text)).toThrow(message);
  });

  it.each([
    [0, "0s"],
    [90, "1m30s"],
    [129_600, "1d12h"],
    [93_784, "1d2h3m4s"],
  ])("writes %i seconds as %s, which reads back the same", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each([
    [5_183_999.8, "60d"],
    [93_784, "1d2h"],
    [5_400, "1h30m"],
    [89.6, "1m30s"],
    [-3, "3s"],
  ])("reads %d seconds approximately as %s", (seconds, text) => {
    expect(formatApproximately(seconds)).toBe(text);
  });
});

describe("a time for clock set", () => {
  it.each([
    ["2027-01-31T09:00:00Z", "2027-01-31T09:00:00.000Z"],
    ["2027-01-31T09:00Z", "2027-01-31T09:00:00.000Z"],
    ["2027-01-31T09:00:00.250+01:00", "2027-01-31T08:00:00.250Z"],
    ["2027-01-31", "2027-01-31T00:00:00.000Z"],
  ])("reads %s", (text, iso) => {
    expect(parseInstant(text).toISOString()).toBe(iso);
  });

  it.each([
    ["tomorrow", /Invalid time "tomorrow": give an ISO-8601 time with its zone/],
    ["2027-02-30", /Invalid time "2027-02-30": give an ISO-8601 time/],
    ["2027-13-01T00:00:00Z", /Invalid time "2027-13-01T00:00:00Z": give/],
    ["2027-01-31T25:00Z", /Invalid time "2027-01-31T25:00Z": give/],
    ["31/01/2027", /Invalid time/],
    ["2027-01-31T09:00", /Invalid time "2027-01-31T09:00": say its zone, e\.g\. 2027-01-31T09:00Z for UTC/],
  ])("refuses %j in one line", (text, message) => {
    expect(() => parseInstant(text)).toThrow(message);
  });
});

describe("what a move did, and how far a clock is", () => {
  it.each([
    [{}, "Scheduled work at the new time (refreshes, purges, key rotation): nothing was due."],
    [
      { refreshed: 0, purged: 0 },
      "Scheduled work at the new time (refreshes, purges, key rotation): nothing was due.",
    ],
    [
      { refreshed: 2, purged: 1, rotatedKey: 1, purgedItems: 0, somethingNew: 3 },
      "Scheduled work at the new time: refreshed 2 tokens, purged 1 expired or revoked token, rotated the token signing key, somethingNew: 3.",
    ],
  ])("describes %j", (counts, text) => {
    expect(describeWork(counts)).toBe(text);
  });

  it.each([
    [400, "none: it matches this computer's clock"],
    [-900, "none: it matches this computer's clock"],
    [5_183_999_800, "60d ahead of this computer's clock"],
    [-5_400_000, "1h30m behind this computer's clock"],
  ])("says an offset of %i ms as %s", (ms, text) => {
    expect(describeOffset(ms)).toBe(text);
  });
});
