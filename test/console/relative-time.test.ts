import { describe, expect, it } from "vitest";
import {
  formatRelative,
  formatRelativeDay,
  formatUtc,
  utcDayStart,
} from "../../console/src/lib/relative-time.ts";

const NOW = Date.parse("2026-03-10T12:00:00.000Z");
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe("formatRelative", () => {
  it.each([
    [0, "just now"],
    [-44 * SECOND, "just now"],
    [50 * SECOND, "in 1 min"],
    [-2 * MINUTE, "2 min ago"],
    [-59 * MINUTE, "1 hour ago"],
    [90 * MINUTE, "in 2 hours"],
    [5 * HOUR, "in 5 hours"],
    [23.6 * HOUR, "in 1 day"],
    [3 * DAY, "in 3 days"],
    [-3 * DAY, "3 days ago"],
    [29 * DAY, "in 1 month"],
    [-95 * DAY, "3 months ago"],
    [400 * DAY, "in 1 year"],
    [-800 * DAY, "2 years ago"],
  ])("%d ms from now reads %s", (offset, expected) => {
    expect(formatRelative(NOW + offset, NOW)).toBe(expected);
  });
});

describe("formatRelativeDay", () => {
  it.each([
    ["2026-03-10", "today"],
    ["2026-03-11", "tomorrow"],
    ["2026-03-09", "yesterday"],
    ["2026-03-22", "in 12 days"],
    ["2026-03-01", "9 days ago"],
    ["2026-09-06", "in 6 months"],
    ["2027-03-20", "in 1 year"],
    ["not a date", "not a date"],
  ])("%s reads %s", (date, expected) => {
    expect(formatRelativeDay(date, NOW)).toBe(expected);
  });

  it("counts UTC days, whatever the hour", () => {
    expect(formatRelativeDay("2026-03-11", Date.parse("2026-03-10T23:59:59Z"))).toBe("tomorrow");
    expect(formatRelativeDay("2026-03-11", Date.parse("2026-03-11T00:00:00Z"))).toBe("today");
  });
});

describe("utcDayStart", () => {
  it("is the start of a real day, null for a day not in the calendar", () => {
    expect(utcDayStart("2026-03-10")).toBe(Date.parse("2026-03-10T00:00:00Z"));
    expect(utcDayStart("2026-02-30")).toBeNull();
    expect(utcDayStart("2026-3-1")).toBeNull();
  });
});

it("formatUtc writes seconds and the zone", () => {
  expect(formatUtc(NOW + 5 * SECOND)).toBe("2026-03-10 12:00:05 UTC");
});
