import { readdirSync, readFileSync } from "node:fs";
import { TRACEFS } from "../bpf/mounts";

/** TracepointField: one field of a tracepoint's record, as its format file gives it. */
export interface TracepointField {
  name: string;
  /** The C type as written: `int`, `const char *`, `__data_loc char[]`, `char[16]`... */
  type: string;
  offset: number;
  size: number;
  signed: boolean;
  /**
   * How gms reads it: an integer of 1, 2, 4 or 8 bytes; a pointer to a user-space string
   * (`const char *`, read by the kernel side when the event fires); a string stored in the
   * record (`__data_loc char[]` or `char[N]`); an array of integers (`unsigned long args[6]`);
   * anything else as hex bytes.
   */
  kind: "int" | "int-array" | "user-string" | "data-loc-string" | "chars" | "bytes";
}

/** TracepointFormat: a tracepoint's record layout, common fields left out. */
export interface TracepointFormat {
  category: string;
  name: string;
  fields: TracepointField[];
  /** Bytes of the record up to its last fixed field (dynamic strings come after). */
  size: number;
}

/** UnknownTracepointError: no tracepoint of this name; `all` lists those there are. */
export class UnknownTracepointError extends Error {
  constructor(
    readonly tracepoint: string,
    readonly all: string[],
  ) {
    super(`unknown tracepoint '${tracepoint}'`);
    this.name = "UnknownTracepointError";
  }
}

/**
 * parseFormat: a tracepoint's format file (`field:TYPE NAME; offset:N; size:N; signed:N;`
 * lines) as fields, the `common_*` fields left out (gms gives pid, tid, comm itself). Throws
 * Error for a file with no fields.
 */
export function parseFormat(category: string, name: string, text: string): TracepointFormat {
  const fields: TracepointField[] = [];
  let size = 0;
  for (const line of text.split("\n")) {
    const m = /^\s*field:(.+?);\s*offset:(\d+);\s*size:(\d+);\s*signed:(\d+);/.exec(line);
    if (!m) continue;
    const decl = m[1]!.trim();
    const offset = Number(m[2]);
    const bytes = Number(m[3]);
    size = Math.max(size, offset + bytes);
    // The name is the last word, an array's brackets stay with the type.
    const d = /^(.*?)([A-Za-z_][A-Za-z0-9_]*)\s*(\[[^\]]*\])?$/.exec(decl);
    if (!d) continue;
    const fieldName = d[2]!;
    if (fieldName.startsWith("common_")) continue;
    const type = `${d[1]!.trim()}${d[3] ?? ""}`;
    fields.push({ name: fieldName, type, offset, size: bytes, signed: m[4] === "1", kind: kindOf(type, bytes) });
  }
  if (!fields.length && !size) throw new Error(`tracepoint ${category}:${name} has no fields in its format`);
  return { category, name, fields, size };
}

function kindOf(type: string, size: number): TracepointField["kind"] {
  if (type.startsWith("__data_loc") && type.includes("char")) return "data-loc-string";
  if (/\bchar\s*\*$/.test(type)) return "user-string";
  if (/\bchar\[\d+\]$/.test(type)) return "chars";
  if (!type.includes("[") && (size === 1 || size === 2 || size === 4 || size === 8)) return "int";
  const n = /\[(\d+)\]$/.exec(type);
  const elem = n && Number(n[1]) > 0 ? size / Number(n[1]) : 0;
  if (!type.startsWith("__data_loc") && (elem === 1 || elem === 2 || elem === 4 || elem === 8)) return "int-array";
  return "bytes";
}

/**
 * tracepointFormat: the format of CATEGORY:NAME from tracefs. Throws UnknownTracepointError
 * (with every tracepoint's name for suggestions), Error when tracefs cannot be read.
 */
export function tracepointFormat(category: string, name: string): TracepointFormat {
  let text: string;
  try {
    text = readFileSync(`${TRACEFS}/events/${category}/${name}/format`, "utf8");
  } catch {
    throw new UnknownTracepointError(`${category}:${name}`, tracepointNames());
  }
  return parseFormat(category, name, text);
}

/** tracepointNames: every tracepoint as CATEGORY:NAME (empty when tracefs cannot be read). */
export function tracepointNames(): string[] {
  const out: string[] = [];
  try {
    for (const c of readdirSync(`${TRACEFS}/events`, { withFileTypes: true })) {
      if (!c.isDirectory()) continue;
      for (const e of readdirSync(`${TRACEFS}/events/${c.name}`, { withFileTypes: true })) {
        if (e.isDirectory()) out.push(`${c.name}:${e.name}`);
      }
    }
  } catch {
    return out;
  }
  return out;
}
