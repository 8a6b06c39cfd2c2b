import { toArrayBuffer, type Pointer } from "bun:ffi";
import { mapFd, PROT_READ, PROT_WRITE, unmap } from "./mmap";
import type { MapHandle } from "./maps";

const PAGE = 4096;
/** Record header bits (include/uapi/linux/bpf.h): still being written; dropped by its writer. */
const BUSY = 0x80000000;
const DISCARD = 0x40000000;
const HEADER = 8;

/**
 * RingBuffer: a BPF ring buffer map (5.8+) read where the kernel writes it: the consumer page
 * mapped read-write, the producer page and the data (mapped twice in a row by the kernel, so a
 * record never wraps) read-only, as libbpf's ring_buffer does, but without a call per record:
 * `drain` walks every committed record since the last one, hands each to `onRecord` as a view
 * valid until it returns, and moves the consumer position once. Close it to unmap.
 */
export class RingBuffer {
  private readonly consumer: Pointer;
  private readonly producer: Pointer;
  private readonly size: number;
  private readonly cons: DataView;
  private readonly prod: DataView;
  private readonly data: Uint8Array;
  private readonly view: DataView;
  private closed = false;

  /** Throws BpfError (a map that is not a ring buffer, or one gms may not map). */
  constructor(map: MapHandle) {
    this.size = map.info.maxEntries;
    this.consumer = mapFd(map.fd, PAGE, PROT_READ | PROT_WRITE, 0, "ring buffer");
    try {
      this.producer = mapFd(map.fd, PAGE + 2 * this.size, PROT_READ, PAGE, "ring buffer");
    } catch (e) {
      unmap(this.consumer, PAGE);
      throw e;
    }
    this.cons = new DataView(toArrayBuffer(this.consumer, 0, PAGE));
    const p = toArrayBuffer(this.producer, 0, PAGE + 2 * this.size);
    this.prod = new DataView(p, 0, PAGE);
    this.data = new Uint8Array(p, PAGE, 2 * this.size);
    this.view = new DataView(p, PAGE, 2 * this.size);
  }

  /**
   * drain: hands over the committed records, at most `max` of them (`onRecord` returning false
   * stops early too), and returns how many. Each record is `size` bytes from `at` of `bytes` and
   * `view` (the whole mapping: no allocation per record), valid until `onRecord` returns. A
   * record still being written ends the walk.
   */
  drain(onRecord: (bytes: Uint8Array, view: DataView, at: number, size: number) => boolean, max = Infinity): number {
    const mask = this.size - 1;
    // Positions only grow; below 2^53 they are exact as doubles (years of traffic).
    let cons = Number(this.cons.getBigUint64(0, true));
    const prod = Number(this.prod.getBigUint64(0, true));
    const view = this.view;
    let n = 0;
    while (cons < prod && n < max) {
      const at = cons & mask;
      const len = view.getUint32(at, true);
      if (len & BUSY) break;
      const size = len & ~(BUSY | DISCARD);
      let keep = true;
      if (!(len & DISCARD)) {
        keep = onRecord(this.data, view, at + HEADER, size);
        n++;
      }
      cons += (size + HEADER + 7) & ~7;
      if (!keep) break;
    }
    this.cons.setBigUint64(0, BigInt(cons), true);
    return n;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    unmap(this.producer, PAGE + 2 * this.size);
    unmap(this.consumer, PAGE);
  }
}
