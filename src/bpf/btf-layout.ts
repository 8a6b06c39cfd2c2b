import { Btf, Kind } from "./btf";

/** LayoutLine: one line of a type's layout, as pahole shows it: a member or a padding hole. */
export interface LayoutLine {
  field: string;
  type: string;
  /** Byte offset from the start of the key or value. */
  offset: number;
  size: number;
  /** Set for bitfields: bit offset within the byte at `offset`, and width in bits. */
  bits?: { offset: number; width: number };
  hole?: boolean;
}

/**
 * layoutOf: the members of a type with their offsets and sizes, nested structs and unions
 * walked into (names joined with dots), and the padding holes between members and at the end,
 * as pahole reports them. A scalar type is one line named `name`.
 */
export function layoutOf(btf: Btf, typeId: number, name: string): LayoutLine[] {
  const out: LayoutLine[] = [];
  const walk = (id: number, prefix: string, base: number): void => {
    const t = btf.type(btf.resolve(id));
    if (t.kind !== Kind.STRUCT && t.kind !== Kind.UNION) return;
    let covered = 0; // bytes of this struct accounted for so far, relative to base
    for (const m of t.members) {
      const field = m.name ? (prefix ? `${prefix}.${m.name}` : m.name) : prefix;
      const at = m.bitOffset >> 3;
      if (t.kind === Kind.STRUCT && at > covered) {
        out.push({ field: "(hole)", type: "", offset: base + covered, size: at - covered, hole: true });
      }
      if (m.bitSize) {
        out.push({ field, type: btf.typeName(m.type), offset: base + at, size: Math.ceil(((m.bitOffset & 7) + m.bitSize) / 8), bits: { offset: m.bitOffset & 7, width: m.bitSize } });
        covered = Math.max(covered, Math.ceil((m.bitOffset + m.bitSize) / 8));
        continue;
      }
      const size = btf.sizeOf(m.type);
      const inner = btf.type(btf.resolve(m.type));
      if (inner.kind === Kind.STRUCT || inner.kind === Kind.UNION) {
        out.push({ field: field || "(anon)", type: btf.typeName(m.type), offset: base + at, size });
        walk(m.type, field, base + at);
      } else {
        out.push({ field, type: btf.typeName(m.type), offset: base + at, size });
      }
      covered = Math.max(covered, at + size);
    }
    if (t.kind === Kind.STRUCT && t.size > covered) {
      out.push({ field: "(padding)", type: "", offset: base + covered, size: t.size - covered, hole: true });
    }
  };
  const t = btf.type(btf.resolve(typeId));
  if (t.kind === Kind.STRUCT || t.kind === Kind.UNION) {
    out.push({ field: name, type: btf.typeName(typeId), offset: 0, size: btf.sizeOf(typeId) });
    walk(typeId, "", 0);
  } else {
    out.push({ field: name, type: btf.typeName(typeId), offset: 0, size: btf.sizeOf(typeId) });
  }
  return out;
}
