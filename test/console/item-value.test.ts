import { describe, expect, it } from "vitest";
import {
  checkValue,
  describeRetention,
  retentionSeconds,
  valueForEditing,
} from "../../console/src/lib/item-value.ts";
import { durationSeconds } from "../../src/duration.ts";

describe("an item's value in the editor", () => {
  it.each([
    ["JSON, pretty-printed", '{"a":1}', "application/json", { type: "json", text: '{\n  "a": 1\n}' }],
    ["a JSON string", '"hello"', "application/json; charset=utf-8", { type: "json", text: '"hello"' }],
    ["text, as it is", '{"a":1}', "text/plain; charset=utf-8", { type: "text", text: '{"a":1}' }],
    ["JSON that does not parse, as text", "{oops", "application/json", { type: "text", text: "{oops" }],
  ])("%s", (_case, body, contentType, expected) => {
    expect(valueForEditing(body, contentType)).toEqual(expected);
  });

  it("checks JSON before saving and sends it compact", () => {
    expect(checkValue("json", '{\n  "a": [1, 2]\n}')).toEqual({ ok: true, body: '{"a":[1,2]}' });
    const bad = checkValue("json", "{a: 1}");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^Not valid JSON: /);
    expect(checkValue("text", "{a: 1}")).toEqual({ ok: true, body: "{a: 1}" });
  });
});

describe("retention", () => {
  it.each([
    ["0", 0],
    ["86400", 86_400],
    ["30d", 2_592_000],
    [" 1h30m ", 5_400],
    ["soon", null],
  ])("%j is %s seconds", (text, seconds) => {
    expect(retentionSeconds(text, durationSeconds)).toBe(seconds);
  });

  it.each([
    [0, "until deleted"],
    [86_400, "1 day"],
    [90_061, "1 day 1 hour 1 min 1 s"],
    [7_200, "2 hours"],
  ])("%d seconds reads %s", (seconds, text) => {
    expect(describeRetention(seconds)).toBe(text);
  });
});
