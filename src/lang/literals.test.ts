import { describe, expect, test } from "bun:test";
import { decodeString, durationMs, percentFraction, splitDuration } from "./literals";

describe("literals", () => {
  test("decodeString reads escapes", () => {
    expect(decodeString('"a\\"b\\\\c\\nd\\te"')).toEqual({
      value: 'a"b\\c\nd\te',
      closed: true,
      badEscapes: [],
    });
  });

  test("decodeString reports bad escapes and a missing closing quote", () => {
    expect(decodeString('"a\\qb"')).toEqual({
      value: "ab",
      closed: true,
      badEscapes: [{ index: 2, text: "\\q" }],
    });
    expect(decodeString('"abc').closed).toBe(false);
    expect(decodeString('"').closed).toBe(false);
    expect(decodeString('"a\\"').closed).toBe(false);
  });

  test("durations in milliseconds", () => {
    expect(durationMs("10us")).toBe(0.01);
    expect(durationMs("500ms")).toBe(500);
    expect(durationMs("2s")).toBe(2000);
    expect(durationMs("1.5s")).toBe(1500);
    expect(durationMs("1m")).toBe(60_000);
    expect(durationMs("2sec")).toBeNaN();
    expect(splitDuration("2.5sec")).toEqual({ amount: "2.5", unit: "sec" });
  });

  test("percentages as fractions", () => {
    expect(percentFraction("1%")).toBe(0.01);
    expect(percentFraction("0.5%")).toBe(0.005);
    expect(percentFraction("100%")).toBe(1);
  });
});
