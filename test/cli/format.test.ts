import { describe, expect, it } from "vitest";
import { colourEnabled, painter, renderTable } from "../../src/cli/format.ts";
import {
  describeExpiry,
  describeRefresh,
  expiryWarning,
  renderTokenTable,
} from "../../src/cli/token-view.ts";

const ESC = "\u001b";
const NOW = new Date("2026-11-28T12:00:00Z");

describe("human output", () => {
  it.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: true }, { NO_COLOR: "1" }, false],
    [{ isTTY: true }, { NO_COLOR: "" }, true],
    [{ isTTY: false }, {}, false],
    [{}, {}, false],
  ])("colours %j with env %j: %s", (stream, env, expected) => {
    expect(colourEnabled(stream, env)).toBe(expected);
  });

  it("pads before colouring, so escape codes never skew the columns", () => {
    const text = renderTable(
      ["A", "B"],
      [
        [{ text: "x", style: "green" }, "y"],
        ["long", "z"],
      ],
      painter(true),
    );
    const plain = text.replace(new RegExp(`${ESC}\\[\\d+m`, "g"), "");
    expect(plain).toBe("A     B\nx     y\nlong  z");
    expect(text).toContain(`${ESC}[32mx${ESC}[0m     y`);
  });

  it.each([
    ["2026-12-08", "Warning: token t expires in 10 days (2026-12-08); create a new one before then."],
    ["2026-11-29", "Warning: token t expires tomorrow (2026-11-29); create a new one before then."],
    ["2026-11-28", "Warning: token t expires today (2026-11-28); create a new one before then."],
    ["2026-11-20", "Warning: token t expired on 2026-11-20."],
    ["2027-01-27", null],
    ["9999-12-31", null],
  ])("warns about a legacy token expiring %s", (expiry, warning) => {
    expect(expiryWarning({ name: "t", expiry }, NOW)).toBe(warning);
  });

  it.each([
    ["2027-01-27", "2027-01-27 (in 60 days)"],
    ["2026-11-29", "2026-11-29 (in 1 day)"],
    ["2026-11-28", "2026-11-28 (due)"],
    ["2026-10-01", "2026-10-01 (due)"],
    [null, "-"],
  ])("tells the next refresh %s from the given time: %s", (date, text) => {
    expect(describeRefresh(date, NOW, "-").text).toBe(text);
  });

  it.each([
    ["2026-12-01", "2026-12-01 (in 3 days)"],
    ["2026-11-28", "2026-11-28 (today)"],
    ["2026-11-27", "2026-11-27 (expired)"],
    ["9999-12-31", "INDEFINITE"],
  ])("tells the expiry %s from the given time: %s", (expiry, text) => {
    expect(describeExpiry(expiry, NOW).text).toBe(text);
  });

  it("says how to create a token when there are none", () => {
    expect(renderTokenTable([], NOW, painter(false))).toMatch(
      /^No tokens\. Create one with: edgekv token create/,
    );
  });
});
