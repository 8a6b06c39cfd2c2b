import execObject from "../../build/exec.bpf.o" with { type: "file" };
import { Kind } from "../bpf/btf";
import { encodeValue, entryLayout, escapeBytes, type Value } from "../bpf/btf-decode";
import { ConfigSlots, sampling } from "../bpf/config-slots";
import { BpfObject } from "../bpf/object";
import type { SourceColumn } from "./source";
import { collectEvents, type CollectOptions, type Collected, type EventStream } from "./event-stream";

/** StreamSpec: one of gms's own event streams (a probe that fills a ring buffer). */
export interface StreamSpec {
  name: string;
  description: string;
  object: string;
  attach: string[];
  /** The ring buffer, the per-CPU drop counter, and the two-slot sampling config and its index. */
  maps: { events: string; drops: string; config: string; index: string };
  /** The struct each record is, found by name in the object's BTF. */
  event: string;
  /** Char-array fields that hold several strings, each ended by a NUL (argv): shown space-joined. */
  stringLists?: string[];
}

/** STREAMS: the built-in streams, `from stream NAME`. */
export const STREAMS = new Map<string, StreamSpec>([
  [
    "exec",
    {
      name: "exec",
      description: "process starts: pid, ppid, uid, comm, filename and the first arguments",
      object: execObject,
      attach: ["on_exec"],
      maps: { events: "exec_events", drops: "exec_drops", config: "exec_cfg", index: "exec_cfg_at" },
      event: "exec_event",
      stringLists: ["args"],
    },
  ],
]);

/**
 * ProbeStream: a built-in stream: its object loaded and attached, the sampling configured in the
 * kernel (two slots and a flipped index), records decoded from the event struct's BTF. Close it
 * to detach (gms also detaches it on exit).
 */
export class ProbeStream implements EventStream {
  readonly columns: SourceColumn[];
  readonly probability: number;
  private readonly reads: ((v: DataView, bytes: Uint8Array, at: number) => Value)[];

  private constructor(
    readonly spec: StreamSpec,
    private readonly obj: BpfObject,
    probability: number | null,
  ) {
    const cfg = obj.map(spec.maps.config);
    try {
      const btf = cfg.btf()!;
      const id = btf.find(spec.event, Kind.STRUCT)[0]!;
      const layout = entryLayout(btf, 0, id, 0, btf.sizeOf(id));
      const lists = new Set(spec.stringLists ?? []);
      this.columns = layout.columns.map((c) => ({ name: c.name, numeric: c.numeric, typeName: c.typeName, text: c.text || lists.has(c.name) }));
      this.reads = layout.columns.map((c) =>
        lists.has(c.name)
          ? (_v: DataView, b: Uint8Array, at: number) => stringList(b.subarray(at + c.byteOffset, at + c.byteOffset + c.size))
          : (v: DataView, _b: Uint8Array, at: number) => c.read(v, at),
      );
      const drawn = sampling(probability);
      this.probability = drawn.probability;
      const value = encodeValue(btf, cfg.info.btfValueTypeId, drawn.fields);
      new ConfigSlots(obj, spec.maps.config, spec.maps.index).write(() => value);
    } finally {
      cfg.close();
    }
  }

  /** open: loads, configures and attaches a built-in stream. Throws BpfError. */
  static async open(spec: StreamSpec, probability: number | null): Promise<ProbeStream> {
    const obj = BpfObject.load(spec.name, await Bun.file(spec.object).bytes());
    try {
      const s = new ProbeStream(spec, obj, probability);
      for (const p of spec.attach) obj.attach(p);
      return s;
    } catch (e) {
      obj.close();
      throw e;
    }
  }

  /** collect: see collectEvents. Throws BpfError. */
  async collect(opts: CollectOptions): Promise<Collected> {
    return collectEvents(this.obj.map(this.spec.maps.events), this.obj.map(this.spec.maps.drops), (bytes, view, at) => [
      ...this.reads.map((r) => r(view, bytes, at)),
      // Last, not a column: the probability the kernel kept the event with.
      this.probability,
    ], opts);
  }

  close(): void {
    this.obj.close();
  }
}

/**
 * stringList: NUL-ended strings end to end (argv), space-joined, each escaped as C strings are;
 * an empty string ends the list, and a last string cut off without its NUL is kept.
 */
function stringList(bytes: Uint8Array): string {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0) continue;
    if (i === start) return out.join(" ");
    out.push(escapeBytes(bytes.subarray(start, i)));
    start = i + 1;
  }
  if (start < bytes.length) out.push(escapeBytes(bytes.subarray(start)));
  return out.join(" ");
}
