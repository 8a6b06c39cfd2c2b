import object from "../../build/tracepoint.bpf.o" with { type: "file" };
import { Kind, type Btf } from "../bpf/btf";
import type { Expr } from "../lang/ast";
import { encodeValue, escapeBytes, intReader, type Value } from "../bpf/btf-decode";
import { perCpuTotal } from "../bpf/maps";
import { ConfigSlots, processOp, sampling } from "../bpf/config-slots";
import { BpfObject } from "../bpf/object";
import { tracepointFormat, type TracepointField, type TracepointFormat } from "./tracefs";
import type { SourceColumn } from "./source";
import { collectEvents, type CollectOptions, type Collected, type EventStream } from "./event-stream";

/** Columns every event has, before the tracepoint's own fields. */
const BUILTINS: SourceColumn[] = [
  { name: "pid", numeric: true, typeName: "u32" },
  { name: "tid", numeric: true, typeName: "u32" },
  { name: "comm", numeric: false, typeName: "char[16]", text: true },
  { name: "cpu", numeric: true, typeName: "u32" },
  { name: "ktime", numeric: true, typeName: "u64" },
];

/** StreamOptions: what the kernel side keeps: a probability (null: every event) and a pid filter. */
export interface StreamOptions {
  probability: number | null;
  pid?: { op: "==" | "!="; value: number };
  comm?: { op: "==" | "!="; value: string };
  /** `FIELD op INTEGER` conditions to check in the kernel where FIELD is an integer of the record. */
  conditions?: Expr[];
  /**
   * Weighted (threshold) sampling by an integer field of the record: each event kept with
   * probability min(1, w / tau), tau starting at `tau` and moved with setTau.
   */
  weight?: { field: string; tau: bigint };
}

/** WeightFieldError: `weighted by` names no integer field of the record. */
export class WeightFieldError extends Error {}

/** Reads the event time (a u64) of a record. */
const u64 = intReader(8, false);

const OPS: Record<string, number> = { "==": 1, "!=": 2, "<": 3, "<=": 4, ">": 5, ">=": 6 };

/** integerOf: the integer literal of a condition's right side (`42`, `-1`), exact as a bigint. */
function integerOf(e: Expr): bigint | undefined {
  const neg = e.kind === "unary" && e.op === "-";
  const n = neg ? (e as { arg: Expr }).arg : e;
  if (n.kind !== "number") return undefined;
  try {
    const v = BigInt(n.text);
    return neg ? -v : v;
  } catch {
    return undefined;
  }
}

/**
 * TracepointStream: any tracepoint as a stream of events: the generic program of
 * bpf/tracepoint.bpf.c attached to CATEGORY:NAME, filtering by process and sampling in the
 * kernel, its records decoded here from the tracepoint's format. Fields whose names clash with
 * the built-in columns are `args.NAME`. Close it to detach (gms also detaches it on exit).
 */
export class TracepointStream implements EventStream {
  readonly columns: SourceColumn[];
  /** The probability each event was kept with in the kernel, as the kernel compares it. */
  readonly probability: number;
  /** The conditions the kernel side could not take (a field that is not an integer of the record). */
  readonly userConditions: Expr[] = [];
  private readonly reads: Reader[];
  private readonly layout: { data: number; dataLen: number; strs: number; strCount: number; strLen: number; comm: number; commLen: number; size: number };
  private readonly slots: ConfigSlots;
  /** The config's bytes with a given tau (the weighted sampling's threshold), for setTau. */
  private readonly encode: (tau?: bigint) => Uint8Array;

  private constructor(
    readonly format: TracepointFormat,
    private readonly obj: BpfObject,
    opts: StreamOptions,
  ) {
    this.slots = new ConfigSlots(obj, "tp_cfg", "tp_cfg_at");
    const cfgMap = obj.map("tp_cfg");
    try {
      const btf = cfgMap.btf()!;
      // struct tp_event as the object's BTF lays it out, never written down here.
      const ev = btf.type(btf.find("tp_event", Kind.STRUCT)[0]!) as { members: { name: string; bitOffset: number; type: number }[] };
      const member = (name: string) => ev.members.find((m) => m.name === name)!;
      const off = (name: string) => member(name).bitOffset >> 3;
      const strsType = btf.type(btf.resolve(member("strs").type)) as { nelems: number; type: number };
      this.layout = {
        data: off("data"),
        dataLen: btf.sizeOf(member("data").type),
        strs: off("strs"),
        strCount: strsType.nelems,
        strLen: btf.sizeOf(strsType.type),
        comm: off("comm"),
        commLen: btf.sizeOf(member("comm").type),
        size: off("size"),
      };
      const times = { pid: off("pid"), tid: off("tid"), cpu: off("cpu"), time: off("time_ns") };
      const prob = off("prob_q32");

      const userStrings = format.fields.filter((f) => f.kind === "user-string").slice(0, this.layout.strCount);
      const builtinNames = new Set(BUILTINS.map((c) => c.name));
      this.columns = [
        ...BUILTINS,
        ...format.fields.map((f) => ({
          name: builtinNames.has(f.name) ? `args.${f.name}` : f.name,
          numeric: f.kind === "int",
          typeName: f.type,
          text: f.kind === "user-string" || f.kind === "data-loc-string" || f.kind === "chars",
        })),
      ];
      const L = this.layout;
      this.reads = [
        (_e, v, b) => v.getUint32(b + times.pid, true),
        (_e, v, b) => v.getUint32(b + times.tid, true),
        (e, _v, b) => escapeBytes(e.subarray(b + L.comm, b + L.comm + L.commLen)),
        (_e, v, b) => v.getUint32(b + times.cpu, true),
        (_e, v, b) => u64(v, b + times.time),
        ...format.fields.map((f) => fieldReader(f, L, userStrings.indexOf(f))),
        // Last, not a column: the probability the kernel kept the event with.
        (_e, v, b) => Math.min(1, Number(v.getBigUint64(b + prob, true)) / 2 ** 32),
      ];

      const drawn = sampling(opts.probability);
      this.probability = drawn.probability;
      const hasDataLoc = format.fields.some((f) => f.kind === "data-loc-string");
      const fields: Record<string, number | bigint> = {
        ...drawn.fields,
        pid_op: processOp(opts.pid?.op),
        pid: opts.pid?.value ?? 0,
        comm_op: processOp(opts.comm?.op),
        // Dynamic strings lie after the fixed fields: take the whole room then.
        size: hasDataLoc ? L.dataLen : format.size,
        str_off: userStrings.reduce((acc, f, i) => acc | (BigInt(f.offset) << BigInt(32 * i)), 0n),
      };
      if (opts.weight) {
        const f = format.fields.find((x) => x.name === opts.weight!.field && x.kind === "int");
        if (!f) throw new WeightFieldError(`'${opts.weight.field}' is not an integer field of tracepoint ${format.category}:${format.name}`);
        Object.assign(fields, { weight_offset: f.offset, weight_size: f.size, weight_signed: f.signed ? 1 : 0, tau: opts.weight.tau });
      }
      const typeId = cfgMap.info.btfValueTypeId;
      const base = opts.comm ? { ...fields, comm: opts.comm.value } : fields;
      const conds = this.kernelConditions(btf, typeId, opts.conditions ?? []);
      this.encode = (tau) => {
        const value = encodeValue(btf, typeId, tau === undefined ? base : { ...base, tau });
        for (const c of conds) value.set(c.bytes, c.at);
        return value;
      };
      const value = this.encode();
      this.slots.write(() => value);
    } finally {
      cfgMap.close();
    }
  }

  /**
   * setTau: the weighted sampling's threshold from now on, written to the idle config slot and
   * then made live by flipping the index, so the program never reads a half-written config.
   * Throws BpfError.
   */
  setTau(tau: bigint): void {
    const value = this.encode(tau);
    this.slots.write(() => value);
  }

  /** weightless: events a weighted sample left out for a weight of 0 or below. Throws BpfError. */
  weightless(): number {
    const m = this.obj.map("tp_weightless");
    try {
      return perCpuTotal(m);
    } finally {
      m.close();
    }
  }

  /**
   * kernelConditions: the conditions on integer fields of the record as entries of
   * tp_config.conds, each encoded from the object's BTF with where it lies in the config; the
   * others are left to user space (userConditions).
   */
  private kernelConditions(btf: Btf, configType: number, conditions: Expr[]): Array<{ at: number; bytes: Uint8Array }> {
    const cfg = btf.type(btf.resolve(configType)) as { members: { name: string; type: number; bitOffset: number }[] };
    const conds = cfg.members.find((m) => m.name === "conds")!;
    const arr = btf.type(btf.resolve(conds.type)) as { type: number; nelems: number };
    const size = btf.sizeOf(arr.type);
    const out: Array<{ at: number; bytes: Uint8Array }> = [];
    for (const c of conditions) {
      const b = c as Extract<Expr, { kind: "binary" }>;
      const name = b.left.kind === "field" ? b.left.path[0] : undefined;
      const f = this.format.fields.find((x) => x.name === name && x.kind === "int");
      const v = integerOf(b.right);
      if (!f || v === undefined || out.length >= arr.nelems || (!f.signed && v < 0n)) {
        this.userConditions.push(c);
        continue;
      }
      out.push({
        at: (conds.bitOffset >> 3) + out.length * size,
        bytes: encodeValue(btf, arr.type, { offset: f.offset, size: f.size, is_signed: f.signed ? 1 : 0, op: OPS[b.op]!, value: v }),
      });
    }
    return out;
  }

  /**
   * Whether the program runs as a raw tracepoint, drawing before it builds the record (the
   * raw_syscalls tracepoints: see bpf/tracepoint.bpf.c), rather than on a record the kernel built.
   */
  raw = false;

  /**
   * open: attaches the generic program to CATEGORY:NAME; for raw_syscalls:sys_enter and
   * sys_exit, where the object has them, the raw tracepoint programs that build the record
   * themselves. Throws UnknownTracepointError, BpfError (the verifier's refusal, or a tracepoint
   * the kernel will not attach to).
   */
  static async open(category: string, name: string, opts: StreamOptions): Promise<TracepointStream> {
    const format = tracepointFormat(category, name);
    const obj = BpfObject.load("tracepoint", await Bun.file(object).bytes());
    try {
      const s = new TracepointStream(format, obj, opts);
      const raw = category === "raw_syscalls" ? RAW_PROGRAMS.get(name) : undefined;
      if (raw && obj.hasProgram(raw)) {
        obj.attach(raw);
        s.raw = true;
      } else obj.attachTracepoint("on_event", category, name);
      return s;
    } catch (e) {
      obj.close();
      throw e;
    }
  }

  /** collect: see collectEvents. Throws BpfError. */
  async collect(opts: CollectOptions): Promise<Collected> {
    const reads = this.reads;
    return collectEvents(this.obj.map("tp_events"), this.obj.map("tp_drops"), (bytes, view, at) => {
      const row = new Array<Value>(reads.length);
      for (let i = 0; i < reads.length; i++) row[i] = reads[i]!(bytes, view, at);
      return row;
    }, opts);
  }

  close(): void {
    this.obj.close();
  }
}


/** The raw tracepoint programs of bpf/tracepoint.bpf.c, by raw_syscalls tracepoint. */
const RAW_PROGRAMS = new Map([["sys_enter", "on_sys_enter"], ["sys_exit", "on_sys_exit"]]);

/** Reader: one column of a record that starts at `b` of the ring's bytes and view. */
type Reader = (bytes: Uint8Array, v: DataView, b: number) => Value;

/** fieldReader: how one field of the record becomes a value (see TracepointField.kind). */
function fieldReader(f: TracepointField, L: { data: number; strs: number; strLen: number; size: number }, userString: number): Reader {
  const at = L.data + f.offset;
  // Within the bytes the kernel side copied of the record.
  const inRecord = (v: DataView, b: number, end: number) => end <= L.data + v.getUint32(b + L.size, true);
  switch (f.kind) {
    case "int": {
      const one = intReader(f.size, f.signed);
      return (_e, v, b) => (inRecord(v, b, at + f.size) ? one(v, b + at) : null);
    }
    case "int-array": {
      const count = Number(/\[(\d+)\]$/.exec(f.type)![1]);
      const each = f.size / count;
      const one = intReader(each, f.signed);
      return (_e, v, b) => {
        if (!inRecord(v, b, at + f.size)) return null;
        const out: Value[] = new Array(count);
        for (let i = 0; i < count; i++) out[i] = one(v, b + at + i * each);
        return out;
      };
    }
    case "user-string": {
      if (userString < 0) return () => null;
      const s = L.strs + userString * L.strLen;
      return (e, _v, b) => escapeBytes(e.subarray(b + s, b + s + L.strLen));
    }
    case "data-loc-string":
      // A u32: the string's offset in the record (low 16 bits) and its length (high 16).
      return (e, v, b) => {
        if (!inRecord(v, b, at + 4)) return null;
        const loc = v.getUint32(b + at, true);
        const start = L.data + (loc & 0xffff);
        const end = start + (loc >>> 16);
        return inRecord(v, b, end) ? escapeBytes(e.subarray(b + start, b + end)) : null;
      };
    case "chars":
      return (e, v, b) => (inRecord(v, b, at + f.size) ? escapeBytes(e.subarray(b + at, b + at + f.size)) : null);
    case "bytes":
      return (e, v, b) =>
        inRecord(v, b, at + f.size) ? Array.from(e.subarray(b + at, b + at + f.size), (x) => x.toString(16).padStart(2, "0")).join(" ") : null;
  }
}
