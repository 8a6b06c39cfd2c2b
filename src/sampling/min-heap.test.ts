import { describe, expect, test } from "bun:test";
import { MinHeap } from "./min-heap";
import { Xoshiro128 } from "./rng";

describe("MinHeap", () => {
  test("pops values in key order, past its initial capacity", () => {
    const rng = Xoshiro128.fromSeed(3);
    const keys = Array.from({ length: 100 }, () => rng.nextDouble());
    const heap = new MinHeap<number>();
    keys.forEach((k, i) => heap.push(k, i));
    expect(heap.size).toBe(100);
    const popped: number[] = [];
    for (let v = heap.popMin(); v !== undefined; v = heap.popMin()) popped.push(keys[v]!);
    expect(popped).toEqual(keys.slice().sort((a, b) => a - b));
    expect(heap.size).toBe(0);
  });

  test("replaceMin swaps out the smallest key", () => {
    const heap = new MinHeap<string>();
    heap.push(3, "c");
    heap.push(1, "a");
    heap.push(2, "b");
    expect(heap.minKey()).toBe(1);
    heap.replaceMin(5, "e");
    expect(heap.minKey()).toBe(2);
    expect(heap.unordered().sort()).toEqual(["b", "c", "e"]);
    expect([heap.popMin(), heap.popMin(), heap.popMin(), heap.popMin()]).toEqual(["b", "c", "e", undefined]);
  });

  test("minKey and replaceMin of an empty heap throw", () => {
    const heap = new MinHeap<number>();
    expect(() => heap.minKey()).toThrow(RangeError);
    expect(() => heap.replaceMin(1, 1)).toThrow(RangeError);
  });
});
