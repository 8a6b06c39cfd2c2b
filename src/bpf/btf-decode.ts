import { Btf, Kind, BtfFormatError } from "./btf";

/** Value: a decoded piece of a map entry. u64 values above 2^53 stay exact as bigint. */
export type Value = number | bigint | string | boolean | null | Value[] | { [field: string]: Value };

/** Reader: decodes one value found at byte `base` of a view. */
export type Reader = (view: DataView, base: number) => Value;

/**
 * Column: one leaf of a map entry's layout (an integer, enum, string, array...) with where it
 * lies. A row is its columns read in order, so a sampler can read only the weight column of every
 * entry and decode the rest only for the entries it keeps.
 */
export interface Column {
  /** The name users type: `qps`, `stats.max`, or `key.pid` when key and value clash. */
  name: string;
  part: "key" | "value";
  /** The path of member names inside the key or value (empty for a scalar key or value). */
  path: string[];
  byteOffset: number;
  /** Bytes the column spans (a bitfield: the bytes its bits touch). */
  size: number;
  typeName: string;
  numeric: boolean;
  /** A char array, decoded as a string. */
  text: boolean;
  read: Reader;
  /**
   * How the column's bytes map to JSON without decoding, when they simply do: a whole integer
   * of 1, 2, 4 or 8 bytes, or a char array (JsonOut writes them straight from a batch).
   */
  plain?: Plain;
}

/** Plain: a column whose JSON text comes straight from its bytes (see Column.plain). */
export type Plain = { kind: "int"; size: 1 | 2 | 4 | 8; signed: boolean } | { kind: "chars"; length: number };

function plainOf(btf: Btf, id: number): Plain | undefined {
  const t = btf.type(btf.resolve(id));
  if (t.kind === Kind.INT && !t.bool && !(t.bits && t.bits !== t.size * 8) && (t.size === 1 || t.size === 2 || t.size === 4 || t.size === 8)) {
    return { kind: "int", size: t.size, signed: t.signed };
  }
  if (t.kind === Kind.ARRAY && isCharType(btf, t.type)) return { kind: "chars", length: t.nelems };
  return undefined;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function exact(v: bigint): number | bigint {
  return v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v;
}

/** escapeBytes: a C string as text, stopping at NUL, with non-printable bytes escaped as \xNN. */
export function escapeBytes(bytes: Uint8Array): string {
  let end = bytes.indexOf(0);
  if (end < 0) end = bytes.length;
  let out = "";
  let plain = true;
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!;
    if (b < 0x20 || b > 0x7e || b === 0x5c) {
      plain = false;
      break;
    }
  }
  if (plain) {
    // A loop: spreading the bytes into fromCharCode costs several times more for short names.
    for (let i = 0; i < end; i++) out += String.fromCharCode(bytes[i]!);
    return out;
  }
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!;
    if (b === 0x5c) out += "\\\\";
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return out;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

function isCharType(btf: Btf, id: number): boolean {
  const t = btf.type(btf.resolve(id));
  return t.kind === Kind.INT && t.size === 1 && (t.char || t.name === "char");
}

/** intReader: a Reader for an integer of `size` bytes (other sizes: hex bytes). */
export function intReader(size: number, signed: boolean): Reader {
  switch (size) {
    case 1: return signed ? (v, b) => v.getInt8(b) : (v, b) => v.getUint8(b);
    case 2: return signed ? (v, b) => v.getInt16(b, true) : (v, b) => v.getUint16(b, true);
    case 4: return signed ? (v, b) => v.getInt32(b, true) : (v, b) => v.getUint32(b, true);
    // 64-bit values are read as two halves: BigInt only when the value passes 2^53, since
    // BigInt arithmetic costs far more than the read itself.
    case 8:
      return signed
        ? (v, b) => {
            const hi = v.getInt32(b + 4, true);
            return hi >= -0x200000 && hi < 0x200000 ? hi * 0x100000000 + v.getUint32(b, true) : v.getBigInt64(b, true);
          }
        : (v, b) => {
            const hi = v.getUint32(b + 4, true);
            return hi < 0x200000 ? hi * 0x100000000 + v.getUint32(b, true) : v.getBigUint64(b, true);
          };
    case 16:
      return (v, b) => {
        const lo = v.getBigUint64(b, true);
        const hi = v.getBigUint64(b + 8, true);
        const u = (hi << 64n) | lo;
        return exact(signed ? BigInt.asIntN(128, u) : u);
      };
    default:
      return (v, b) => hex(new Uint8Array(v.buffer, v.byteOffset + b, size));
  }
}

function bitfieldReader(bitOffset: number, bitSize: number, signed: boolean): Reader {
  const firstByte = bitOffset >> 3;
  const shift = BigInt(bitOffset & 7);
  const nbytes = ((bitOffset & 7) + bitSize + 7) >> 3;
  const mask = (1n << BigInt(bitSize)) - 1n;
  return (v, b) => {
    let raw = 0n;
    for (let i = nbytes - 1; i >= 0; i--) raw = (raw << 8n) | BigInt(v.getUint8(b + firstByte + i));
    let x = (raw >> shift) & mask;
    if (signed) x = BigInt.asIntN(bitSize, x);
    return exact(x);
  };
}

/**
 * reader: a Reader for a whole BTF type (structs become objects, char arrays strings, enums
 * their names, pointers hex). Throws BtfFormatError for types that cannot be in a map.
 */
export function reader(btf: Btf, id: number): Reader {
  const t = btf.type(btf.resolve(id));
  switch (t.kind) {
    case Kind.INT:
      if (t.bool) return (v, b) => v.getUint8(b) !== 0;
      if (t.bits && t.bits !== t.size * 8) return bitfieldReader(t.bitOffset, t.bits, t.signed);
      return intReader(t.size, t.signed);
    case Kind.ENUM: case Kind.ENUM64:
      return enumReader(t);
    case Kind.FLOAT:
      if (t.size === 4) return (v, b) => v.getFloat32(b, true);
      if (t.size === 8) return (v, b) => v.getFloat64(b, true);
      return intReader(t.size, false);
    case Kind.PTR:
      return (v, b) => `0x${v.getBigUint64(b, true).toString(16)}`;
    case Kind.ARRAY: {
      if (isCharType(btf, t.type)) {
        return (v, b) => escapeBytes(new Uint8Array(v.buffer, v.byteOffset + b, t.nelems));
      }
      const elem = reader(btf, t.type);
      const step = btf.sizeOf(t.type);
      return (v, b) => {
        const out: Value[] = [];
        for (let i = 0; i < t.nelems; i++) out.push(elem(v, b + i * step));
        return out;
      };
    }
    case Kind.STRUCT: case Kind.UNION: {
      const fields = t.members.map((m) => ({
        name: m.name,
        anon: m.name === "",
        // A bitfield's reader counts bits from the start of the struct.
        at: m.bitSize ? 0 : m.bitOffset >> 3,
        read: m.bitSize ? memberBitfield(btf, m.type, m.bitOffset, m.bitSize) : reader(btf, m.type),
      }));
      return (v, b) => {
        const out: { [f: string]: Value } = {};
        for (const f of fields) {
          const x = f.read(v, b + f.at);
          if (f.anon && x && typeof x === "object" && !Array.isArray(x)) Object.assign(out, x);
          else out[f.name] = x;
        }
        return out;
      };
    }
    default:
      throw new BtfFormatError(`cannot decode a ${btf.typeName(id)}`);
  }
}

function memberBitfield(btf: Btf, id: number, bitOffset: number, bitSize: number): Reader {
  const t = btf.type(btf.resolve(id));
  const signed = (t.kind === Kind.INT || t.kind === Kind.ENUM) && t.signed;
  return bitfieldReader(bitOffset, bitSize, signed);
}

function isNumericLeaf(btf: Btf, id: number): boolean {
  const t = btf.type(btf.resolve(id));
  return (t.kind === Kind.INT && !t.bool && t.size <= 16) || t.kind === Kind.FLOAT;
}

/**
 * leafColumns: the columns of one part (key or value) of an entry: struct members are walked
 * into (nested names joined with dots, anonymous members merged into their parent), every other
 * type is one column. A scalar part is one column named after the part.
 */
function leafColumns(btf: Btf, id: number, part: "key" | "value"): Column[] {
  const out: Column[] = [];
  const walk = (typeId: number, path: string[], byteOffset: number, bitOffset: number, bitSize: number) => {
    const rid = btf.resolve(typeId);
    const t = btf.type(rid);
    if ((t.kind === Kind.STRUCT || t.kind === Kind.UNION) && !bitSize) {
      for (const m of t.members) {
        const p = m.name ? [...path, m.name] : path;
        if (m.bitSize) walk(m.type, p, byteOffset, m.bitOffset, m.bitSize);
        else walk(m.type, p, byteOffset + (m.bitOffset >> 3), 0, 0);
      }
      return;
    }
    const read = bitSize ? memberBitfield(btf, typeId, bitOffset, bitSize) : reader(btf, typeId);
    out.push({
      name: path.length ? path.join(".") : part,
      part,
      path,
      byteOffset,
      size: bitSize ? Math.ceil(((bitOffset & 7) + bitSize) / 8) : btf.sizeOf(typeId),
      typeName: bitSize ? `${btf.typeName(typeId)}:${bitSize}` : btf.typeName(typeId),
      numeric: isNumericLeaf(btf, typeId) || (!!bitSize && t.kind === Kind.INT),
      text: t.kind === Kind.ARRAY && isCharType(btf, t.type),
      read: byteOffset ? (v, b) => read(v, b + byteOffset) : read,
      plain: bitSize ? undefined : plainOf(btf, typeId),
    });
  };
  walk(id, [], 0, 0, 0);
  return out;
}

/** rawColumn: the column of a key or value that has no BTF (4 or 8 bytes as u32/u64, else hex). */
function rawColumn(size: number, part: "key" | "value"): Column {
  const numeric = size === 4 || size === 8;
  return {
    name: part,
    part,
    path: [],
    byteOffset: 0,
    size,
    typeName: numeric ? `u${size * 8}` : `u8[${size}]`,
    numeric,
    text: false,
    read: numeric ? intReader(size, false) : (v, b) => hex(new Uint8Array(v.buffer, v.byteOffset + b, size)),
    plain: numeric ? { kind: "int", size, signed: false } : undefined,
  };
}

/** EntryLayout: the columns of a map's entries, key columns first. */
export interface EntryLayout {
  columns: Column[];
  hasBtf: boolean;
}

/**
 * entryLayout: the columns of a map's key and value, from its BTF when it has one. Value columns
 * keep their plain names; a key column whose name a value column also has is prefixed `key.`.
 */
export function entryLayout(
  btf: Btf | undefined,
  keyType: number,
  valueType: number,
  keySize: number,
  valueSize: number,
): EntryLayout {
  const hasBtf = !!btf && valueType !== 0;
  const keys = hasBtf && keyType ? leafColumns(btf!, keyType, "key") : keySize ? [rawColumn(keySize, "key")] : [];
  const values = hasBtf ? leafColumns(btf!, valueType, "value") : [rawColumn(valueSize, "value")];
  const valueNames = new Set(values.map((c) => c.name));
  for (const k of keys) {
    if (valueNames.has(k.name) && k.name !== "key") k.name = `key.${k.name}`;
  }
  for (const v of values) {
    if (v.name !== "value" && keys.some((k) => k.name === v.name)) v.name = `value.${v.name}`;
  }
  return { columns: [...keys, ...values], hasBtf };
}


/**
 * encodeValue: the bytes of a value of BTF type `typeId` whose named members hold `fields`
 * (integers, or strings for char arrays); members not named are zero. gms uses it to write its
 * own probes' configuration, so no struct layout is written by hand.
 * Throws BtfFormatError for a name the type does not have or a value that does not fit.
 */
export function encodeValue(btf: Btf, typeId: number, fields: Record<string, number | bigint | string>): Uint8Array {
  const out = new Uint8Array(btf.sizeOf(typeId));
  const view = new DataView(out.buffer);
  const columns = leafColumns(btf, typeId, "value");
  for (const [name, v] of Object.entries(fields)) {
    const c = columns.find((x) => x.name === name);
    if (!c) throw new BtfFormatError(`${btf.typeName(typeId)} has no member ${name}`);
    if (typeof v === "string") {
      const bytes = new TextEncoder().encode(v);
      if (!c.text || bytes.length >= c.size) throw new BtfFormatError(`'${v}' does not fit ${name} (${c.typeName})`);
      out.set(bytes, c.byteOffset);
      continue;
    }
    const x = BigInt.asUintN(c.size * 8, BigInt(v));
    for (let i = 0; i < c.size; i++) view.setUint8(c.byteOffset + i, Number((x >> BigInt(8 * i)) & 0xffn));
  }
  return out;
}

/**
 * enumReader: an enum's value as the name of its enumerator, or as a number when none has it.
 * Values are matched on their bits, so signedness never hides a name: compilers before clang 15
 * (BTF without ENUM64) never mark an enum signed, record -2 as 0xfffffffe, and cut 64-bit
 * enumerators to 32 bits, which are sign-extended here as bpftool does. An unknown value is shown
 * signed when the enum is marked signed or has a 32-bit enumerator with its top bit set (a
 * negative one from such a compiler), unsigned otherwise.
 */
export function enumReader(t: { kind: Kind; size: number; signed: boolean; values: { name: string; value: bigint }[] }): Reader {
  const bits = t.size * 8;
  const names = new Map<bigint, string>();
  let signed = t.signed;
  for (const e of t.values) {
    let v = e.value;
    if (t.kind === Kind.ENUM) {
      v = BigInt.asIntN(32, v);
      if (v < 0n) signed = true;
    }
    const key = BigInt.asUintN(bits, v);
    if (!names.has(key)) names.set(key, e.name);
  }
  const raw = intReader(t.size, false);
  return (v, b) => {
    const x = BigInt(raw(v, b) as number | bigint);
    return names.get(x) ?? exact(signed ? BigInt.asIntN(bits, x) : x);
  };
}

