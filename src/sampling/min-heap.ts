/**
 * MinHeap: a binary min-heap of values ordered by a numeric key, the bounded store behind the
 * bottom-k and priority samplers. Keys must not be NaN (the samplers never insert one).
 */
export class MinHeap<V> {
  private keys = new Float64Array(16);
  private readonly values: V[] = [];

  /** MinHeap.size: the number of values held. */
  get size(): number {
    return this.values.length;
  }

  /** MinHeap.minKey: the smallest key held. Throws RangeError when the heap is empty. */
  minKey(): number {
    if (this.values.length === 0) throw new RangeError("minKey() of an empty heap");
    return this.keys[0]!;
  }

  /** MinHeap.push: adds `value` under `key`. Throws nothing. */
  push(key: number, value: V): void {
    const i = this.values.length;
    if (i === this.keys.length) {
      const grown = new Float64Array(i * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    this.values.push(value);
    this.siftUp(i, key, value);
  }

  /**
   * MinHeap.replaceMin: removes the value with the smallest key and adds `value` under `key`, in
   * one sift. Throws RangeError when the heap is empty.
   */
  replaceMin(key: number, value: V): void {
    if (this.values.length === 0) throw new RangeError("replaceMin() of an empty heap");
    this.siftDown(0, key, value);
  }

  /**
   * MinHeap.popMin: removes and returns the value with the smallest key, or undefined if empty.
   * Throws nothing.
   */
  popMin(): V | undefined {
    const n = this.values.length;
    if (n === 0) return undefined;
    const top = this.values[0];
    const lastKey = this.keys[n - 1]!;
    const last = this.values.pop()!;
    if (n > 1) this.siftDown(0, lastKey, last);
    return top;
  }

  /** MinHeap.unordered: the values held, in heap order, as a new array. Throws nothing. */
  unordered(): V[] {
    return this.values.slice();
  }

  private siftUp(i: number, key: number, value: V): void {
    const keys = this.keys;
    const values = this.values;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentKey = keys[parent]!;
      if (parentKey <= key) break;
      keys[i] = parentKey;
      values[i] = values[parent]!;
      i = parent;
    }
    keys[i] = key;
    values[i] = value;
  }

  private siftDown(i: number, key: number, value: V): void {
    const keys = this.keys;
    const values = this.values;
    const n = values.length;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && keys[child + 1]! < keys[child]!) child++;
      const childKey = keys[child]!;
      if (key <= childKey) break;
      keys[i] = childKey;
      values[i] = values[child]!;
      i = child;
    }
    keys[i] = key;
    values[i] = value;
  }
}
