import { readFileSync } from "node:fs";

/**
 * Kallsyms: the kernel's symbol table from /proc/kallsyms, to turn kernel addresses into
 * `symbol+0xoff`. Lines read `ffffffff821f94a0 T schedule` (module symbols add `\t[module]`).
 *
 * Without root (more exactly, when kptr_restrict hides pointers: `kernel.kptr_restrict` is 1 and
 * the reader lacks CAP_SYSLOG, or it is 2) every address reads as 0; such lines are dropped, so
 * the table is empty and every lookup gives undefined.
 */
export class Kallsyms {
  /** Symbol start addresses, ascending. */
  private readonly addrs: BigUint64Array;
  /** names[i] starts at addrs[i]. */
  private readonly names: string[];

  /** Builds the table from kallsyms text. Unparsable lines and zero addresses are skipped. */
  constructor(text: string) {
    const lines = text.split("\n");
    const all = new BigUint64Array(lines.length);
    const allNames: string[] = [];
    let sorted = true;
    for (const line of lines) {
      const entry = parseLine(line);
      if (!entry) continue;
      const n = allNames.length;
      all[n] = entry.addr;
      allNames.push(entry.name);
      if (n > 0 && all[n - 1]! > entry.addr) sorted = false;
    }
    const count = allNames.length;
    const order = Array.from({ length: count }, (_, i) => i);
    // Several symbols may share an address (`_text` and `_stext`): the first in the file wins,
    // so the sort keeps file order among equals (Array.prototype.sort is stable).
    if (!sorted) order.sort((i, j) => (all[i]! < all[j]! ? -1 : all[i]! > all[j]! ? 1 : 0));
    const addrs = new BigUint64Array(count);
    this.names = [];
    let n = 0;
    for (const i of order) {
      const addr = all[i]!;
      if (n > 0 && addrs[n - 1] === addr) continue;
      addrs[n++] = addr;
      this.names.push(allNames[i]!);
    }
    this.addrs = addrs.slice(0, n);
  }

  /** load: reads a kallsyms file (by default the running kernel's). Throws if it cannot be read. */
  static load(path = "/proc/kallsyms"): Kallsyms {
    return new Kallsyms(readFileSync(path, "latin1"));
  }

  /** size: how many distinct symbol addresses the table holds (0 when addresses are hidden). */
  get size(): number {
    return this.addrs.length;
  }

  /**
   * lookup: the symbol an address falls in, as `name+0x1a` (just `name` at its start);
   * undefined below the first symbol, and for every address when the table is empty. An
   * address past the last symbol is taken to be inside it.
   */
  lookup(addr: bigint): string | undefined {
    const a = this.addrs;
    let lo = 0;
    let hi = a.length; // the first index whose address is above `addr`
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid]! <= addr) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return undefined;
    const name = this.names[lo - 1]!;
    const offset = addr - a[lo - 1]!;
    return offset === 0n ? name : `${name}+0x${offset.toString(16)}`;
  }
}

// Absolute symbols ('A', 'a') are per-CPU offsets and the like, not addresses in the kernel.
// A line is `ADDRESS TYPE NAME[\t[MODULE]]`, fields separated by one space.
function parseLine(line: string): { addr: bigint; name: string } | undefined {
  const space = line.indexOf(" ");
  const type = line[space + 1];
  if (space <= 0 || line[space + 2] !== " " || type === undefined) return undefined;
  if (type === "A" || type === "a") return undefined;
  const hex = line.slice(0, space);
  if (!/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  const addr = BigInt(`0x${hex}`);
  if (addr === 0n) return undefined;
  const tab = line.indexOf("\t", space + 3);
  const name = (tab < 0 ? line.slice(space + 3) : line.slice(space + 3, tab)).trimEnd();
  return name ? { addr, name } : undefined;
}

let loaded: Kallsyms | undefined;

/**
 * kallsyms: the running kernel's symbols, read from /proc/kallsyms on first use and kept.
 * A file that cannot be read gives an empty table (lookups give undefined).
 */
export function kallsyms(): Kallsyms {
  if (!loaded) {
    try {
      loaded = Kallsyms.load();
    } catch {
      loaded = new Kallsyms("");
    }
  }
  return loaded;
}
