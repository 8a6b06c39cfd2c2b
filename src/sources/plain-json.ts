import type { Plain } from "../bpf/btf-decode";
import { chars, int, s64, u64, uint, type JsonOut } from "../output/json-out";

const encoder = new TextEncoder();

/** PlainField: a column of a row that a RowEncoder writes from bytes. */
export interface PlainField {
  name: string;
  part: "key" | "value";
  /** Where the column starts in the key or value. */
  offset: number;
  plain: Plain;
}

/**
 * RowEncoder: writes the JSON object of one entry (`{"name":value,...}`, fields in order) from
 * its key bytes at `kb` and value bytes at `vb`. Returns false, having written nothing, when a
 * char array needs escapes: the caller then writes the row from decoded cells.
 */
export type RowEncoder = (out: JsonOut, keys: Uint8Array, kv: DataView, kb: number, values: Uint8Array, vv: DataView, vb: number) => boolean;

/**
 * rowEncoder: a RowEncoder for these fields, generated as one function (names and punctuation
 * as byte stores, one call per number), since it runs for every entry of a full dump.
 */
export function rowEncoder(fields: PlainField[]): RowEncoder {
  const lines: string[] = [];
  let max = 1;
  fields.forEach((f, i) => {
    const prefix = encoder.encode(`${i ? "," : "{"}${JSON.stringify(f.name)}:`);
    lines.push(...Array.from(prefix, (b) => `b[n++] = ${b};`));
    max += prefix.length;
    const [src, view, base] = f.part === "key" ? ["K", "KV", "kb"] : ["V", "VV", "vb"];
    const at = `${base} + ${f.offset}`;
    const p = f.plain;
    if (p.kind === "chars") {
      lines.push(`n = chars(b, n, ${src}, ${at}, ${p.length}); if (n < 0) return false;`);
      max += p.length + 2;
      return;
    }
    max += 22;
    switch (p.size) {
      case 1: lines.push(p.signed ? `n = int(b, n, ${view}.getInt8(${at}));` : `n = uint(b, n, ${src}[${at}]);`); break;
      case 2: lines.push(`n = ${p.signed ? "int" : "uint"}(b, n, ${view}.get${p.signed ? "Int16" : "Uint16"}(${at}, true));`); break;
      case 4: lines.push(`n = ${p.signed ? "int" : "uint"}(b, n, ${view}.get${p.signed ? "Int32" : "Uint32"}(${at}, true));`); break;
      case 8: lines.push(`n = ${p.signed ? "s64" : "u64"}(b, n, ${view}.getUint32(${at}, true), ${view}.get${p.signed ? "Int32" : "Uint32"}(${at} + 4, true));`); break;
    }
  });
  const body = [
    "return function row(out, K, KV, kb, V, VV, vb) {",
    `  if (out.n + ${max} > out.buf.length) out.room(${max});`,
    "  const b = out.buf;",
    "  let n = out.n;",
    ...lines.map((l) => `  ${l}`),
    "  b[n++] = 125;",
    "  out.n = n;",
    "  return true;",
    "};",
  ].join("\n");
  return new Function("uint", "int", "u64", "s64", "chars", body)(uint, int, u64, s64, chars) as RowEncoder;
}
