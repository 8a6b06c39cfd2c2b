import { describe, expect, test } from "bun:test";
import { closest, didYouMean, editDistance, orList } from "./suggest";

describe("editDistance", () => {
  test("counts insertions, deletions, substitutions and swaps", () => {
    expect(editDistance("", "")).toBe(0);
    expect(editDistance("abc", "")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("sample", "sample")).toBe(0);
    expect(editDistance("smaple", "sample")).toBe(1);
    expect(editDistance("qsp", "qps")).toBe(1);
    expect(editDistance("form", "from")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("sampl", "sample")).toBe(1);
    expect(editDistance("saample", "sample")).toBe(1);
  });

  test("is the unrestricted distance: a swapped pair may be edited again", () => {
    expect(editDistance("ca", "abc")).toBe(2);
  });
});

describe("closest", () => {
  const keywords = ["sample", "trace", "stop", "wait", "show"];

  test("finds the nearest candidate", () => {
    expect(closest("smaple", keywords)).toEqual(["sample"]);
    expect(closest("trcae", keywords)).toEqual(["trace"]);
    expect(closest("qsp", ["qps", "calls", "errors"])).toEqual(["qps"]);
  });

  test("returns every candidate at the best distance, in the given order", () => {
    expect(closest("stow", keywords)).toEqual(["stop", "show"]);
  });

  test("ignores case and never suggests the word itself", () => {
    expect(closest("SAMPLE", keywords)).toEqual(["sample"]);
    expect(closest("sample", keywords)).toEqual([]);
  });

  test("nothing when nothing is close", () => {
    expect(closest("foo", keywords)).toEqual([]);
    expect(closest("x", ["y"])).toEqual([]);
    expect(closest("abcdef", ["uvwxyz"], 10)).toEqual([]);
  });

  test("maxDistance bounds the distance", () => {
    expect(closest("smpl", ["sample"])).toEqual([]);
    expect(closest("smpl", ["sample"], 2)).toEqual(["sample"]);
  });
});

describe("didYouMean", () => {
  test("words the hint", () => {
    expect(didYouMean("smaple", ["sample"])).toBe("did you mean 'sample'?");
    expect(didYouMean("stow", ["stop", "show"])).toBe("did you mean 'stop' or 'show'?");
    expect(didYouMean("zzz", ["sample"])).toBeUndefined();
  });

  test("orList joins with commas and a final 'or'", () => {
    expect(orList([])).toBe("");
    expect(orList(["a"])).toBe("a");
    expect(orList(["a", "b"])).toBe("a or b");
    expect(orList(["a", "b", "c"])).toBe("a, b or c");
  });
});
