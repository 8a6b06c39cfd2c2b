import { expect, test } from "bun:test";
import { parseJsonExact } from "./dump-file";

test("parseJsonExact keeps integers of 16 digits and more exact, and leaves strings alone", () => {
  const v = parseJsonExact('[18446744073709551615, -9223372036854775808, 1234567890123456, 12, 1.5e3, "a 12345678901234567 b", "q\\"1234567890123456"]');
  expect(v).toEqual([18446744073709551615n, -9223372036854775808n, 1234567890123456, 12, 1500, "a 12345678901234567 b", 'q"1234567890123456']);
});
