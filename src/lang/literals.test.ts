import { describe, expect, test } from "bun:test";
import {
  decodeString,
  durationMs,
  integerValue,
  numberValue,
  percentFraction,
  sizeBytes,
  splitDuration,
} from "./literals";

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
    expect(durationMs("2h")).toBe(7_200_000);
    expect(durationMs("5ns")).toBe(0.000005);
    expect(durationMs("1M")).toBeNaN();
    expect(durationMs("2sec")).toBeNaN();
    expect(splitDuration("2.5sec")).toEqual({ amount: "2.5", unit: "sec" });
  });

  test("percentages as fractions", () => {
    expect(percentFraction("1%")).toBe(0.01);
    expect(percentFraction("0.5%")).toBe(0.005);
    expect(percentFraction("100%")).toBe(1);
  });

  test("sizes in bytes: k and K are 1024, M 1024^2, G 1024^3; m is no size", () => {
    expect([sizeBytes("4k"), sizeBytes("4K"), sizeBytes("1M"), sizeBytes("2G")]).toEqual([
      4096, 4096, 1_048_576, 2_147_483_648,
    ]);
    expect(sizeBytes("1.5k")).toBe(1536);
    expect(sizeBytes("1m")).toBeNaN();
  });

  test("numbers, decimal and hex, as doubles and exact integers", () => {
    expect([numberValue("42"), numberValue("0.5"), numberValue("0x1F"), numberValue("0XfF")]).toEqual([
      42, 0.5, 31, 255,
    ]);
    expect(numberValue("0x")).toBeNaN();
    expect(numberValue("0x1g")).toBeNaN();
    expect(integerValue("18446744073709551615")).toBe(18_446_744_073_709_551_615n);
    expect(integerValue("0xffffffffffffffff")).toBe(18_446_744_073_709_551_615n);
    expect(integerValue("1.0")).toBeUndefined();
    expect(integerValue("0xg")).toBeUndefined();
  });
});
