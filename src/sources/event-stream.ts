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
    const record = (bytes: Uint8Array, view: DataView, at: number) => {
      const row = decode(bytes, view, at);
      if (!opts.accept || opts.accept(row)) {
        rows.push(row);
        opts.onRow?.(row);
      }
      return rows.length < opts.limit;
    };
    while (rows.length < opts.limit && !opts.signal?.aborted && performance.now() < end) {
      // A bounded bite at a time, so a flood of events cannot keep the loop from its deadline.
      const n = rb.drain(record, 65536);
      const now = performance.now();
      if (now - lastPoll >= 100) {
        opts.afterPoll?.(rows);
        lastPoll = now;
      }
      // Let the event loop run (Ctrl-C at the prompt aborts through it); wait a little when idle.
      await Bun.sleep(n ? 0 : Math.max(0, Math.min(5, end - now)));
    }
  } finally {
    rb.close();
  }
  try {
    return { rows, drops: perCpuTotal(drops), elapsedMs: performance.now() - started };
  } finally {
    drops.close();
  }
}
