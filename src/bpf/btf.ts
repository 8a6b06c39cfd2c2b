/**
 * BTF: a parsed BPF Type Format blob (the raw bytes the kernel hands out for a map's or the
 * kernel's types). Only parsing lives here; turning bytes into values is in btf-decode.ts.
 * The format is the kernel's Documentation/bpf/btf.rst.
 */

export const BTF_MAGIC = 0xeb9f;

/**
 * By kind: the bytes of a type record before its members (-1: a kind the walk leaves to
 * recordSize, which also rejects unknown kinds), and the bytes of each member.
 */
const RECORD_SIZE = Int32Array.from([-1, 16, 12, 24, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 16, 12, 12, 16, 12, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1]);
const VLEN_SIZE = Int32Array.from([0, 0, 0, 0, 12, 12, 8, 0, 0, 0, 0, 0, 0, 8, 0, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

export const enum Kind {
  UNKN = 0,
  INT = 1,
  PTR = 2,
  ARRAY = 3,
  STRUCT = 4,
  UNION = 5,
  ENUM = 6,
  FWD = 7,
  TYPEDEF = 8,
  VOLATILE = 9,
  CONST = 10,
  RESTRICT = 11,
  FUNC = 12,
  FUNC_PROTO = 13,
  VAR = 14,
  DATASEC = 15,
  FLOAT = 16,
  DECL_TAG = 17,
  TYPE_TAG = 18,
  ENUM64 = 19,
}

export const KIND_NAMES = [
  "unknown", "int", "ptr", "array", "struct", "union", "enum", "fwd", "typedef", "volatile",
  "const", "restrict", "func", "func_proto", "var", "datasec", "float", "decl_tag", "type_tag",
  "enum64",
];

export interface BtfMember {
  name: string;
  type: number;
  /** Offset from the start of the struct, in bits. */
  bitOffset: number;
  /** Non-zero for a bitfield member. */
  bitSize: number;
}

export interface BtfEnumValue {
  name: string;
  value: bigint;
}

export type BtfType =
  | { kind: Kind.UNKN; name: ""; size: 0 }
  | { kind: Kind.INT; name: string; size: number; signed: boolean; char: boolean; bool: boolean; bits: number; bitOffset: number }
  | { kind: Kind.PTR | Kind.TYPEDEF | Kind.VOLATILE | Kind.CONST | Kind.RESTRICT | Kind.TYPE_TAG; name: string; type: number }
  | { kind: Kind.ARRAY; name: string; type: number; indexType: number; nelems: number }
  | { kind: Kind.STRUCT | Kind.UNION; name: string; size: number; members: BtfMember[] }
  | { kind: Kind.ENUM | Kind.ENUM64; name: string; size: number; signed: boolean; values: BtfEnumValue[] }
  | { kind: Kind.FWD; name: string; union: boolean }
  | { kind: Kind.FUNC | Kind.VAR | Kind.DECL_TAG; name: string; type: number }
  | { kind: Kind.FUNC_PROTO; name: string; type: number; params: { name: string; type: number }[] }
  | { kind: Kind.DATASEC; name: string; size: number; vars: { type: number; offset: number; size: number }[] }
  | { kind: Kind.FLOAT; name: string; size: number };

/** BtfFormatError: bytes that are not valid BTF. */
export class BtfFormatError extends Error {
  constructor(message: string) {
    super(`BTF: ${message}`);
    this.name = "BtfFormatError";
  }
}

/**
 * Btf: the types of one BTF blob, indexed by id (id 0 is void). Parsing is lazy per type: the
 * constructor only records where each type's record starts, so a 5 MiB vmlinux BTF opens fast
 * and only the types a caller touches are decoded.
 * Throws BtfFormatError on malformed input.
 */
export class Btf {
  private readonly view: DataView;
  private readonly typeStart: number;
  private readonly strStart: number;
  private readonly strEnd: number;
  private readonly offsets: Uint32Array;
  private readonly cache = new Map<number, BtfType>();
  readonly count: number;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.byteLength < 24 || this.view.getUint16(0, true) !== BTF_MAGIC) {
      throw new BtfFormatError("bad magic (only little-endian BTF is supported)");
    }
    const hdrLen = this.view.getUint32(4, true);
    const typeOff = this.view.getUint32(8, true);
    const typeLen = this.view.getUint32(12, true);
    const strOff = this.view.getUint32(16, true);
    const strLen = this.view.getUint32(20, true);
    this.typeStart = hdrLen + typeOff;
    this.strStart = hdrLen + strOff;
    this.strEnd = this.strStart + strLen;
    if (this.typeStart + typeLen > bytes.byteLength || this.strEnd > bytes.byteLength) {
      throw new BtfFormatError("section out of bounds");
    }
    // Record sizes are read through 32-bit words (records are 4-byte aligned) into a typed
    // array sized for the most records the section can hold: vmlinux has 100,000+ types and
    // this walk runs at every start, before the JIT has warmed up.
    const end = this.typeStart + typeLen;
    const aligned = (bytes.byteOffset & 3) === 0 ? bytes : bytes.slice();
    const words = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >> 2);
    const offsets = new Uint32Array(Math.floor(typeLen / 12) + 2);
    let count = 1;
    if ((this.typeStart & 3) !== 0) {
      for (let at = this.typeStart; at < end; at += this.recordSize(at)) offsets[count++] = at;
    } else {
      for (let at = this.typeStart; at < end; ) {
        offsets[count++] = at;
        const info = words[(at >> 2) + 1]!;
        const size = RECORD_SIZE[(info >>> 24) & 0x1f]!;
        at += size < 0 ? this.recordSize(at) : size + VLEN_SIZE[(info >>> 24) & 0x1f]! * (info & 0xffff);
      }
    }
    this.offsets = offsets.subarray(0, count);
    this.count = count;
  }

  private recordSize(at: number): number {
    const info = this.view.getUint32(at + 4, true);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    switch (kind) {
      case Kind.INT: return 16;
      case Kind.ARRAY: return 12 + 12;
      case Kind.STRUCT:
      case Kind.UNION: return 12 + 12 * vlen;
      case Kind.ENUM: return 12 + 8 * vlen;
      case Kind.FUNC_PROTO: return 12 + 8 * vlen;
      case Kind.VAR: return 16;
      case Kind.DATASEC: return 12 + 12 * vlen;
      case Kind.DECL_TAG: return 16;
      case Kind.ENUM64: return 12 + 12 * vlen;
      case Kind.PTR: case Kind.FWD: case Kind.TYPEDEF: case Kind.VOLATILE: case Kind.CONST:
      case Kind.RESTRICT: case Kind.FUNC: case Kind.FLOAT: case Kind.TYPE_TAG:
        return 12;
      default:
        throw new BtfFormatError(`unknown kind ${kind} at byte ${at}`);
    }
  }

  /** str: the string at `off` in the string section. */
  str(off: number): string {
    let end = this.strStart + off;
    while (end < this.strEnd && this.bytes[end] !== 0) end++;
    return new TextDecoder().decode(this.bytes.subarray(this.strStart + off, end));
  }

  /** type: the type with this id. Throws BtfFormatError for an id that does not exist. */
  type(id: number): BtfType {
    if (id === 0) return { kind: Kind.UNKN, name: "", size: 0 };
    const hit = this.cache.get(id);
    if (hit) return hit;
    const at = this.offsets[id];
    if (at === undefined || id >= this.count) throw new BtfFormatError(`no type id ${id}`);
    const t = this.parse(at);
    this.cache.set(id, t);
    return t;
  }

  private parse(at: number): BtfType {
    const v = this.view;
    const name = this.str(v.getUint32(at, true));
    const info = v.getUint32(at + 4, true);
    const kind = ((info >>> 24) & 0x1f) as Kind;
    const vlen = info & 0xffff;
    const kflag = (info >>> 31) === 1;
    const sizeOrType = v.getUint32(at + 8, true);
    const body = at + 12;
    switch (kind) {
      case Kind.INT: {
        const enc = v.getUint32(body, true);
        const e = (enc >>> 24) & 0x0f;
        return {
          kind, name, size: sizeOrType, signed: (e & 1) !== 0, char: (e & 2) !== 0,
          bool: (e & 4) !== 0, bitOffset: (enc >>> 16) & 0xff, bits: enc & 0xff,
        };
      }
      case Kind.PTR: case Kind.TYPEDEF: case Kind.VOLATILE: case Kind.CONST: case Kind.RESTRICT:
      case Kind.TYPE_TAG: case Kind.FUNC: case Kind.VAR: case Kind.DECL_TAG:
        return { kind, name, type: sizeOrType };
      case Kind.ARRAY:
        return {
          kind, name, type: v.getUint32(body, true), indexType: v.getUint32(body + 4, true),
          nelems: v.getUint32(body + 8, true),
        };
      case Kind.STRUCT: case Kind.UNION: {
        const members: BtfMember[] = [];
        for (let i = 0; i < vlen; i++) {
          const m = body + 12 * i;
          const off = v.getUint32(m + 8, true);
          members.push({
            name: this.str(v.getUint32(m, true)),
            type: v.getUint32(m + 4, true),
            bitOffset: kflag ? off & 0xffffff : off,
            bitSize: kflag ? off >>> 24 : 0,
          });
        }
        return { kind, name, size: sizeOrType, members };
      }
      case Kind.ENUM: {
        const values: BtfEnumValue[] = [];
        for (let i = 0; i < vlen; i++) {
          const m = body + 8 * i;
          const raw = kflag ? v.getInt32(m + 4, true) : v.getUint32(m + 4, true);
          values.push({ name: this.str(v.getUint32(m, true)), value: BigInt(raw) });
        }
        return { kind, name, size: sizeOrType, signed: kflag, values };
      }
      case Kind.ENUM64: {
        const values: BtfEnumValue[] = [];
        for (let i = 0; i < vlen; i++) {
          const m = body + 12 * i;
          const lo = BigInt(v.getUint32(m + 4, true));
          const hi = BigInt(v.getUint32(m + 8, true));
          let value = (hi << 32n) | lo;
          if (kflag) value = BigInt.asIntN(64, value);
          values.push({ name: this.str(v.getUint32(m, true)), value });
        }
        return { kind, name, size: sizeOrType, signed: kflag, values };
      }
      case Kind.FWD:
        return { kind, name, union: kflag };
      case Kind.FUNC_PROTO: {
        const params = [];
        for (let i = 0; i < vlen; i++) {
          const m = body + 8 * i;
          params.push({ name: this.str(v.getUint32(m, true)), type: v.getUint32(m + 4, true) });
        }
        return { kind, name, type: sizeOrType, params };
      }
      case Kind.DATASEC: {
        const vars = [];
        for (let i = 0; i < vlen; i++) {
          const m = body + 12 * i;
          vars.push({
            type: v.getUint32(m, true), offset: v.getUint32(m + 4, true),
            size: v.getUint32(m + 8, true),
          });
        }
        return { kind, name, size: sizeOrType, vars };
      }
      case Kind.FLOAT:
        return { kind, name, size: sizeOrType };
      default:
        throw new BtfFormatError(`unknown kind ${kind}`);
    }
  }

  /** resolve: the id behind typedefs and qualifiers (const, volatile, restrict, type tags). */
  resolve(id: number): number {
    for (let i = 0; i < 64; i++) {
      const t = this.type(id);
      switch (t.kind) {
        case Kind.TYPEDEF: case Kind.VOLATILE: case Kind.CONST: case Kind.RESTRICT:
        case Kind.TYPE_TAG:
          id = t.type;
          continue;
        default:
          return id;
      }
    }
    throw new BtfFormatError(`type chain too long at id ${id}`);
  }

  /** sizeOf: the size in bytes of a type. Throws BtfFormatError for types without a size. */
  sizeOf(id: number): number {
    const t = this.type(this.resolve(id));
    switch (t.kind) {
      case Kind.INT: case Kind.STRUCT: case Kind.UNION: case Kind.ENUM: case Kind.ENUM64:
      case Kind.FLOAT: case Kind.DATASEC:
        return t.size;
      case Kind.PTR:
        return 8;
      case Kind.ARRAY:
        return t.nelems * this.sizeOf(t.type);
      default:
        throw new BtfFormatError(`type ${id} (${KIND_NAMES[t.kind]}) has no size`);
    }
  }

  /** typeName: a C-like name for a type, for layouts and messages (`struct stats`, `u32[4]`). */
  typeName(id: number): string {
    const t = this.type(id);
    switch (t.kind) {
      case Kind.UNKN: return "void";
      case Kind.STRUCT: return `struct ${t.name || "(anon)"}`;
      case Kind.UNION: return `union ${t.name || "(anon)"}`;
      case Kind.ENUM: case Kind.ENUM64: return `enum ${t.name || "(anon)"}`;
      case Kind.PTR: return `${this.typeName(t.type)} *`;
      case Kind.ARRAY: return `${this.typeName(t.type)}[${t.nelems}]`;
      case Kind.CONST: return `const ${this.typeName(t.type)}`;
      case Kind.VOLATILE: return `volatile ${this.typeName(t.type)}`;
      case Kind.FWD: return `${t.union ? "union" : "struct"} ${t.name}`;
      default: return t.name || KIND_NAMES[t.kind] || "?";
    }
  }

  /**
   * find: the ids of the types with this name and kind. Compares bytes in place rather than
   * building a name index, since vmlinux has over 100,000 types and callers ask for a few.
   */
  find(name: string, kind: Kind): number[] {
    const want = new TextEncoder().encode(name);
    const v = this.view;
    const out: number[] = [];
    for (let id = 1; id < this.count; id++) {
      const at = this.offsets[id]!;
      if (((v.getUint32(at + 4, true) >>> 24) & 0x1f) !== kind) continue;
      const s = this.strStart + v.getUint32(at, true);
      if (this.bytes[s + want.length] !== 0) continue;
      let same = true;
      for (let i = 0; i < want.length; i++) {
        if (this.bytes[s + i] !== want[i]) { same = false; break; }
      }
      if (same) out.push(id);
    }
    return out;
  }
}
