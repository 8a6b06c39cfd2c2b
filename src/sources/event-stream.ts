import type { Value } from "../bpf/btf-decode";
import { perCpuTotal, type MapHandle } from "../bpf/maps";
import { RingBuffer } from "../bpf/ringbuf";
import type { SourceColumn } from "./source";

/** CollectOptions: when reading a stream stops, and which events it keeps (user-space conditions). */
export interface CollectOptions {
  limit: number;
  durationMs?: number;
  signal?: AbortSignal;
  accept?: (row: Value[]) => boolean;
  /** Called after each poll (about every 100 ms) with the rows so far. */
  afterPoll?: (rows: Value[][]) => void;
  /** Called after each poll (about every 100 ms) with how many rows there are so far. */
  onCount?: (rows: number) => void;
  /** Called with each row as it is kept (streams printed line by line). */
  onRow?: (row: Value[]) => void;
}

/** Collected: what a stream gave: rows as its columns say, and what was lost. */
export interface Collected {
  /** Each row is its columns' values and then the probability the kernel kept the event with. */
  rows: Value[][];
  /** Events the ring buffer had no room for (counted in the kernel, never sampled out). */
  drops: number;
  elapsedMs: number;
}

/**
 * EventStream: events a BPF program sends through a ring buffer after filtering and sampling
 * them in the kernel (a tracepoint, or one of gms's own streams such as exec).
 */
export interface EventStream {
  readonly columns: SourceColumn[];
  /** The probability each event was kept with in the kernel, as the kernel compares it. */
  readonly probability: number;
  collect(opts: CollectOptions): Promise<Collected>;
  close(): void;
}

/**
 * RecordCopies: ring buffer records copied one after another into blocks, to be decoded later
 * (a record in the ring is valid only until the reader moves past it).
 */
class RecordCopies {
  private blocks: Uint8Array[] = [];
  private block = new Uint8Array(0);
  private used = 0;
  /** Per record: its block, offset and size, three numbers each. */
  private index: number[] = [];
  count = 0;

  /** add: a copy of `size` bytes from `at` of `bytes`; returns the records held. */
  add(bytes: Uint8Array, at: number, size: number): number {
    if (this.used + size > this.block.length) {
      this.block = new Uint8Array(Math.max(BLOCK, size));
      this.blocks.push(this.block);
      this.used = 0;
    }
    this.block.set(bytes.subarray(at, at + size), this.used);
    this.index.push(this.blocks.length - 1, this.used, size);
    this.used += size;
    return ++this.count;
  }

  /** each: every record in order, as a view of its block. */
  each(f: (bytes: Uint8Array, view: DataView, at: number) => void): void {
    const views = this.blocks.map((b) => new DataView(b.buffer, b.byteOffset, b.byteLength));
    for (let i = 0; i < this.index.length; i += 3) f(this.blocks[this.index[i]!]!, views[this.index[i]!]!, this.index[i + 1]!);
  }
}

const BLOCK = 4 << 20;

/**
 * The longest wait between two drains, and how many events may come in during one: the wait is
 * cut to what the last drain's rate says brings FILL_EVENTS (at 200,000 events a second, 2.5 ms;
 * at 1.5M, a third of one), about 0.3 MB of a stream's 4 MB ring.
 */
const IDLE_MS = 5;
const FILL_EVENTS = 500;

/**
 * collectEvents: reads a ring buffer, decoding each record, until `limit` rows pass `accept`,
 * `durationMs` passes, or `signal` aborts; the event loop runs between polls (Ctrl-C at the
 * prompt aborts through it). Then reads the per-CPU count of events the ring had no room for.
 * Takes both map handles and closes them. Throws BpfError.
 */
export async function collectEvents(
  events: MapHandle,
  drops: MapHandle,
  decode: (bytes: Uint8Array, view: DataView, at: number) => Value[],
  opts: CollectOptions,
): Promise<Collected> {
  const started = performance.now();
  const rows: Value[][] = [];
  let rb: RingBuffer;
  try {
    rb = new RingBuffer(events);
  } catch (e) {
    drops.close();
    throw e;
  } finally {
    events.close();
  }
  try {
    const end = opts.durationMs === undefined ? Infinity : started + opts.durationMs;
    let lastPoll = started;
    let lastDrain = started;
    // Nothing needs the rows before the stream ends (no condition here, no row printed as it
    // comes, no tau to move): the records are only copied while the stream runs, and decoded
    // after, so gms takes less CPU from the machine it watches while it watches.
    const later = !opts.accept && !opts.onRow && !opts.afterPoll ? new RecordCopies() : undefined;
    const record = later
      ? (bytes: Uint8Array, _view: DataView, at: number, size: number) => later.add(bytes, at, size) < opts.limit
      : (bytes: Uint8Array, view: DataView, at: number) => {
          const row = decode(bytes, view, at);
          if (!opts.accept || opts.accept(row)) {
            rows.push(row);
            opts.onRow?.(row);
          }
          return rows.length < opts.limit;
        };
    const count = () => (later ? later.count : rows.length);
    while (count() < opts.limit && !opts.signal?.aborted && performance.now() < end) {
      // A bounded bite at a time, so a flood of events cannot keep the loop from its deadline.
      const n = rb.drain(record, 65536);
      const now = performance.now();
      if (now - lastPoll >= 100) {
        opts.afterPoll?.(rows);
        opts.onCount?.(count());
        lastPoll = now;
      }
      // Let the event loop run (Ctrl-C at the prompt aborts through it), and wait as long as
      // the ring can hold what comes meanwhile: spinning on a trickle of events would take a
      // CPU from the workload being watched.
      const perMs = n / Math.max(0.01, now - lastDrain);
      lastDrain = now;
      await Bun.sleep(Math.max(0, Math.min(IDLE_MS, FILL_EVENTS / perMs, end - now)));
    }
    later?.each((bytes, view, at) => {
      rows.push(decode(bytes, view, at));
    });
  } finally {
    rb.close();
  }
  try {
    return { rows, drops: perCpuTotal(drops), elapsedMs: performance.now() - started };
  } finally {
    drops.close();
  }
}
