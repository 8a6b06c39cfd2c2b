import { JSCallback, toArrayBuffer, type Pointer } from "bun:ffi";
import { libbpf } from "./libbpf";
import { check, checkPtr } from "./errors";
import type { MapHandle } from "./maps";

/**
 * RingBuffer: a BPF ring buffer map read through libbpf's ring_buffer (5.8+). `poll` hands each
 * record to `onRecord` as a copy (the ring's memory is reused once the callback returns) and
 * returns how many it handed over. Close it to free libbpf's state and the callback.
 */
export class RingBuffer {
  private readonly rb: Pointer;
  private readonly callback: JSCallback;
  private closed = false;

  /** Throws BpfError (ENOMEM, or EINVAL for a map that is not a ring buffer). */
  constructor(map: MapHandle, onRecord: (record: Uint8Array) => void) {
    this.callback = new JSCallback(
      (_ctx: Pointer, data: Pointer, size: number | bigint) => {
        onRecord(new Uint8Array(toArrayBuffer(data, 0, Number(size))).slice());
        return 0;
      },
      { args: ["ptr", "ptr", "u64"], returns: "i32" },
    );
    try {
      this.rb = checkPtr("ring buffer", libbpf().ring_buffer__new(map.fd, this.callback.ptr!, null, null) as Pointer | null);
    } catch (e) {
      this.callback.close();
      throw e;
    }
  }

  /** poll: waits up to `timeoutMs` for records and hands them over; returns how many. Throws BpfError. */
  poll(timeoutMs: number): number {
    const n = libbpf().ring_buffer__poll(this.rb, timeoutMs);
    // EINTR: a signal arrived while waiting; the caller's loop decides what to do next.
    if (n === -4) return 0;
    return check("ring buffer poll", n);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    libbpf().ring_buffer__free(this.rb);
    this.callback.close();
  }
}
