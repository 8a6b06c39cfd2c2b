import type { MapHandle } from "./maps";
import type { BpfObject } from "./object";

/** threshold: the kernel-side sampling threshold for probability p: round(p * 2^32), below 2^32. */
export function threshold(p: number): number {
  return Math.min(2 ** 32 - 1, Math.round(p * 2 ** 32));
}

/**
 * processOp: the code a program's pid_op or comm_op field holds for a comparison: 1 for `==`,
 * 2 for `!=`, 0 (no test) for none (pid_ok in bpf/comm.h and the programs read it).
 */
export function processOp(op: "==" | "!=" | undefined): number {
  return op === undefined ? 0 : op === "==" ? 1 : 2;
}

/**
 * sampling: the config fields that make a program keep each event with probability p (null,
 * or p >= 1: every event), and the probability it then keeps with, threshold / 2^32, which
 * estimates divide by.
 */
export function sampling(p: number | null): { fields: { sample_all: number; threshold: number }; probability: number } {
  if (p === null || p >= 1) return { fields: { sample_all: 1, threshold: 0 }, probability: 1 };
  const t = threshold(p);
  return { fields: { sample_all: 0, threshold: t }, probability: t / 2 ** 32 };
}

function u32(n: number): Uint8Array {
  return new Uint8Array(new Uint32Array([n]).buffer);
}

/**
 * ConfigSlots: a probe's configuration as its BPF programs read it: two slots of an array map
 * and a one-entry index map that names the live one (0 until the first write). write() fills
 * the idle slot and then flips the index, so the programs read the old configuration or the
 * new one, never a half-written mix.
 */
export class ConfigSlots {
  private live = 0;

  constructor(
    private readonly obj: BpfObject,
    private readonly mapName: string,
    private readonly indexName: string,
  ) {}

  /** write: makes `value` live; `value` gets the config map to encode against its BTF. Throws BpfError. */
  write(value: (map: MapHandle) => Uint8Array): void {
    const map = this.obj.map(this.mapName);
    const index = this.obj.map(this.indexName);
    try {
      const idle = 1 - this.live;
      map.write(u32(idle), value(map));
      index.write(u32(0), u32(idle));
      this.live = idle;
    } finally {
      map.close();
      index.close();
    }
  }
}
