import { readFileSync } from "node:fs";
import { entryLayout, type Value } from "../bpf/btf-decode";
import { entryCursor, type Cursor, type ScanStats, type Source, type SourceColumn } from "./source";
import { isSnapshot } from "./snapshot";

/** DumpFileError: a file that is not a `bpftool map dump -j` dump. */
export class DumpFileError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = "DumpFileError";
  }
}

/**
 * parseJsonExact: JSON.parse that keeps integers of 16 digits or more exact, as bigint (or as a
 * number again when it is safe). It walks the text once, skipping strings, so digits inside
 * strings are never touched.
 */
export function parseJsonExact(text: string): unknown {
  const MARK = "\u0000int:";
  let out = "";
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
      continue;
    }
    if (ch === 45 /* - */ || (ch >= 48 && ch <= 57)) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j]!)) j++;
      const lit = text.slice(i, j);
      if (/^-?\d{16,}$/.test(lit)) {
        // Written escaped: a raw NUL is not allowed inside a JSON string.
        out += `${text.slice(last, i)}"\\u0000int:${lit}"`;
        last = j;
      }
      i = j - 1;
    }
  }
  out += text.slice(last);
  return JSON.parse(out, (_, v) => {
    if (typeof v === "string" && v.startsWith(MARK)) {
      const b = BigInt(v.slice(MARK.length));
      return b <= BigInt(Number.MAX_SAFE_INTEGER) && b >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
    }
    return v;
  });
}

type Json = Value;

function hexBytes(a: unknown): Uint8Array {
  if (!Array.isArray(a)) return new Uint8Array(0);
  return Uint8Array.from(a.map((x) => Number.parseInt(String(x), 16)));
}

/** flatten: a decoded key or value as dotted leaf columns, the way map layouts name them. */
function flatten(v: Json, path: string[], out: Map<string, Json>): void {
  if (v && typeof v === "object" && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, [...path, k], out);
    return;
  }
  out.set(path.join("."), v);
}

interface DumpEntry {
  key: Uint8Array;
  cells: Json[];
}

/**
 * DumpFileSource: a `bpftool map dump -j` file read offline, with or without BTF (`formatted`)
 * values; per-CPU dumps are summed over CPUs for numbers. Needs no privilege.
 * Throws DumpFileError when the file cannot be read or is not such a dump.
 */
export class DumpFileSource implements Source {
  label: string;
  columns: SourceColumn[] = [];
  /** A snapshot's saved BTF layout (as `describe` showed it when it was saved). */
  layout?: Record<string, Json>[];
  private readonly entries: DumpEntry[] = [];

  constructor(readonly path: string) {
    this.label = `file ${path}`;
    let data: unknown;
    try {
      data = parseJsonExact(readFileSync(path, "utf8"));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new DumpFileError(path, code ? `cannot read it (${code})` : `not JSON (${(e as Error).message})`);
    }
    if (isSnapshot(data)) {
      this.label = `file ${path} (${data.source})`;
      this.columns = data.columns;
      this.layout = data.layout;
      for (const e of data.entries) this.entries.push({ key: Uint8Array.from(Buffer.from(e.key, "hex")), cells: e.cells });
      return;
    }
    if (!Array.isArray(data)) throw new DumpFileError(path, "expected a JSON array of entries, as `bpftool map dump -j` writes, or a snapshot gms saved");
    const rows = data.map((e, i) => this.decode(e, i));
    const names: string[] = [];
    const numeric = new Map<string, boolean>();
    const text = new Map<string, boolean>();
    for (const r of rows) {
      for (const [name, v] of r.cells) {
        if (!numeric.has(name)) {
          names.push(name);
          numeric.set(name, true);
          text.set(name, true);
        }
        if (v !== null && typeof v !== "number" && typeof v !== "bigint") numeric.set(name, false);
        if (v !== null && typeof v !== "string") text.set(name, false);
      }
    }
    for (const name of names) {
      const isNum = numeric.get(name)!;
      const isText = !isNum && text.get(name)!;
      this.columns.push({ name, numeric: isNum, text: isText, typeName: isNum ? "number" : isText ? "string" : "json" });
    }
    for (const r of rows) this.entries.push({ key: r.key, cells: names.map((n) => r.cells.get(n) ?? null) });
  }

  private decode(e: unknown, i: number): { key: Uint8Array; cells: Map<string, Json> } {
    if (!e || typeof e !== "object") throw new DumpFileError(this.path, `entry ${i} is not an object`);
    const entry = e as { key?: unknown; value?: unknown; values?: { value: unknown }[]; formatted?: { key: Json; value?: Json; values?: { value: Json }[] } };
    const key = hexBytes(entry.key);
    const cells = new Map<string, Json>();
    const f = entry.formatted;
    if (f) {
      const k = new Map<string, Json>();
      flatten(f.key, [], k);
      const value = f.value ?? sumCpus((f.values ?? []).map((x) => x.value));
      const v = new Map<string, Json>();
      flatten(value, [], v);
      for (const [name, x] of k) cells.set(name === "" ? "key" : v.has(name) ? `key.${name}` : name, x);
      for (const [name, x] of v) cells.set(name === "" ? "value" : name, x);
      return { key, cells };
    }
    const valueBytes = entry.values ? entry.values.map((x) => hexBytes(x.value)) : [hexBytes(entry.value)];
    const first = valueBytes[0] ?? new Uint8Array(0);
    const layout = entryLayout(undefined, 0, 0, key.length, first.length);
    const kv = new DataView(key.buffer);
    for (const c of layout.columns) {
      if (c.part === "key") cells.set(c.name, c.read(kv, 0));
      else cells.set(c.name, sumCpus(valueBytes.map((b) => c.read(new DataView(b.buffer), 0))));
    }
    return { key, cells };
  }

  get sizeBound(): number {
    return this.entries.length;
  }

  scan(visit: (c: Cursor) => void): ScanStats {
    for (const e of this.entries) {
      visit(entryCursor({ key: e.key, cell: (c) => e.cells[c] ?? null }));
    }
    return { entries: this.entries.length, method: "read offline", notes: [] };
  }

  close(): void {}
}

/** sumCpus: per-CPU values added up: numbers summed field by field, the rest from CPU 0. */
function sumCpus(values: Json[]): Json {
  if (values.length === 0) return null;
  if (values.length === 1) return values[0]!;
  const [first, ...rest] = values;
  if (typeof first === "number" || typeof first === "bigint") {
    let s: number | bigint = first;
    for (const x of rest) s = typeof s === "bigint" || typeof x === "bigint" ? BigInt(s) + BigInt(x as number) : s + (x as number);
    return s;
  }
  if (first && typeof first === "object" && !Array.isArray(first)) {
    const out: { [k: string]: Json } = {};
    for (const k of Object.keys(first)) out[k] = sumCpus(values.map((v) => (v as { [k: string]: Json })[k] ?? null));
    return out;
  }
  return first ?? null;
}
