import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isApiError } from "../../src/errors.ts";
import { memoised } from "../../src/http/pipeline.ts";

// Path parameters and queries are checked once per distinct value, not on every request: these pin
// down that the memo never answers for a value it did not check, and never remembers a refusal.
describe("memoised path-parameter and query parsing", () => {
  const counted = () => {
    let runs = 0;
    const schema = z.record(
      z.string(),
      z.string().refine((value) => {
        runs += 1;
        return value !== "bad";
      }, "Bad value."),
    );
    return { schema, runs: () => runs };
  };

  it("checks an accepted value once and answers it again, frozen", () => {
    const { schema, runs } = counted();
    const parse = memoised(schema, undefined);
    const first = parse({ tokenName: "bench" });
    expect(first).toEqual({ tokenName: "bench" });
    expect(parse({ tokenName: "bench" })).toBe(first);
    expect(runs()).toBe(1);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it("checks a refused value every time and refuses it with the given code", () => {
    const { schema, runs } = counted();
    const parse = memoised(schema, "route_not_found");
    for (let attempt = 0; attempt < 3; attempt += 1) {
      let thrown: unknown;
      try {
        parse({ tokenName: "bad" });
      } catch (error) {
        thrown = error;
      }
      expect(isApiError(thrown) && thrown.code).toBe("route_not_found");
    }
    expect(runs()).toBe(3);
  });

  it("keeps values apart that a plain join of names and values would confuse", () => {
    const parse = memoised(z.record(z.string(), z.string()), undefined);
    expect(parse({ a: "x\u0000b\u0000y" })).toEqual({ a: "x\u0000b\u0000y" });
    expect(parse({ a: "x", b: "y" })).toEqual({ a: "x", b: "y" });
    expect(parse({ a: "1:b1:y" })).toEqual({ a: "1:b1:y" });
    expect(parse({ a: "", b: "y" })).toEqual({ a: "", b: "y" });
  });

  it("parses anything but flat strings every time (a repeated query parameter)", () => {
    let runs = 0;
    const schema = z.object({
      tag: z.array(z.string()).transform((tags) => {
        runs += 1;
        return tags;
      }),
    });
    const parse = memoised(schema, undefined);
    expect(parse({ tag: ["a", "b"] })).toEqual({ tag: ["a", "b"] });
    expect(parse({ tag: ["a", "b"] })).toEqual({ tag: ["a", "b"] });
    expect(runs).toBe(2);
  });

  it("parses long values every time instead of keeping them", () => {
    const { schema, runs } = counted();
    const parse = memoised(schema, undefined);
    const long = { key: "k".repeat(600) };
    expect(parse(long)).toEqual(long);
    expect(parse(long)).toEqual(long);
    expect(runs()).toBe(2);
  });

  it("stays right past its bound of remembered values", () => {
    const { schema } = counted();
    const parse = memoised(schema, undefined);
    for (let index = 0; index < 3000; index += 1) {
      expect(parse({ name: `n${index % 1500}` })).toEqual({ name: `n${index % 1500}` });
    }
  });
});
