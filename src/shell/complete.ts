import { HELP } from "../lang/help";

/**
 * CompletionContext: what the machine has now, asked only for the kind of word being completed
 * (the shell wires it to the kernel, tracefs and the file system; tests give fixed lists).
 */
export interface CompletionContext {
  mapNames(): string[];
  /** The columns of the map of this name (from its BTF); empty when it cannot be opened. */
  fieldsOf(map: string): string[];
  probeNames(): string[];
  streamNames(): string[];
  tracepoints(): string[];
  /** Paths starting with `prefix` (directories end in `/`). */
  files(prefix: string): string[];
}

const STATEMENTS = [...HELP.map((h) => h.name), "select"];
const SOURCE_WORDS = ["map", "file", "tracepoint", "stream"];
const CLAUSES = ["where", "weighted", "by", "order", "limit", "seed", "for", "to", "per", "and", "or", "not", "asc", "desc", "using"];
/** Words after which a field of the statement's source comes. */
const FIELD_AFTER = new Set(["where", "by", "select", "and", "or", "not", "per", ",", "(", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "~"]);

/**
 * complete: readline's completer for the prompt: the candidates for the word being typed at the
 * end of `line`, and that word. In a quoted string: file paths. After `map` or `from`: map names
 * (and the source words). After `tracepoint`: tracepoints; after `stream`: streams; after
 * `trace`, `stop`: probes. Where a field may come: the fields of the map the line names. At the
 * start: statements. Otherwise the clause keywords.
 */
export function complete(line: string, ctx: CompletionContext): [string[], string] {
  const quote = /"([^"]*)$/.exec(line);
  if (quote) {
    const prefix = quote[1]!;
    return [ctx.files(prefix).map((f) => `"${f}`), `"${prefix}`];
  }
  const word = /[A-Za-z0-9_.:/-]*$/.exec(line)![0];
  const before = line.slice(0, line.length - word.length).trim();
  const prev = /([A-Za-z_]+|[^\sA-Za-z0-9_]+)$/.exec(before)?.[1] ?? "";
  const pick = (xs: Iterable<string>) => [...new Set(xs)].filter((x) => x.startsWith(word)).sort();
  if (before === "" || before === "explain" || (prev === "help" && before.split(/\s+/).length === 1)) return [pick(STATEMENTS), word];
  if (prev === "tracepoint") return [pick(ctx.tracepoints()), word];
  if (prev === "stream") return [pick(ctx.streamNames()), word];
  if (prev === "trace" || prev === "stop") return [pick([...ctx.probeNames(), ...(prev === "stop" ? ["all"] : [])]), word];
  if (prev === "map") return [pick(ctx.mapNames()), word];
  if (prev === "from" || prev === "describe" || prev === "save") return [pick([...SOURCE_WORDS, ...ctx.mapNames()]), word];
  if (FIELD_AFTER.has(prev)) {
    const source = /\b(?:from|describe)\s+(?:map\s+)?([A-Za-z_][A-Za-z0-9_.]*)/.exec(line)?.[1];
    const fields = source && !SOURCE_WORDS.includes(source) ? ctx.fieldsOf(source) : [];
    return [pick([...fields, ...(prev === "where" || prev === "and" || prev === "or" ? ["not"] : [])]), word];
  }
  return [pick(CLAUSES), word];
}
