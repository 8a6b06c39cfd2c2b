/**
 * help: what `help` and `help NAME` say of each statement: its syntax, one line on what it does,
 * and two examples. A test holds this list to the grammar (every statement rule has an entry)
 * and every example to the parser (each parses and checks without an error), so it cannot
 * drift from the language.
 */
export interface StatementHelp {
  /** The word that starts the statement (`from` for the plain query). */
  name: string;
  syntax: string;
  summary: string;
  examples: [string, string];
}

export const HELP: StatementHelp[] = [
  {
    name: "sample",
    syntax: "sample P%|K [per FIELD] from SOURCE [weighted by EXPR] [where EXPR] [seed N] [limit N] [for D] [to \"file\"]",
    summary: "a fair sample of a map's entries or a stream's events, each row with the probability it was drawn with",
    examples: ["sample 1% from map events weighted by qps", "sample 10% from tracepoint sched:sched_switch limit 5"],
  },
  {
    name: "from",
    syntax: "[select EXPR [as NAME], ...] from SOURCE [where EXPR] [order by EXPR [asc|desc], ...] [limit N] [for D] [to \"file\"]",
    summary: "every entry (or event) that passes where: no sampling",
    examples: ["from map events where errors > 0 order by errors desc limit 5", "select comm, errors / calls as err from map events"],
  },
  {
    name: "estimate",
    syntax: "estimate sum(E)|count()|avg(E) [as NAME], ... from SOURCE [where EXPR] using sample P%|K [weighted by EXPR] [seed N]",
    summary: "Horvitz-Thompson estimates with standard errors and 95% intervals, from a sample",
    examples: ["estimate sum(calls), count() from map events using sample 10%", "estimate avg(max_ns) from map events where calls > 0 using sample 50 weighted by calls"],
  },
  {
    name: "trace",
    syntax: "trace PROBE [sample P%] [where pid|comm == VALUE and ...]",
    summary: "starts one of gms's probes, filtering and sampling in the kernel",
    examples: ["trace syscalls sample 10% where comm != \"gms\"", "trace sched"],
  },
  { name: "stop", syntax: "stop PROBE | stop all", summary: "detaches a probe (or all of them)", examples: ["stop syscalls", "stop all"] },
  { name: "wait", syntax: "wait D", summary: "lets probes gather for a while (scripts)", examples: ["wait 2s", "wait 500ms"] },
  {
    name: "show",
    syntax: "show maps|programs|probes [where EXPR] [order by EXPR [asc|desc], ...] [limit N]",
    summary: "the maps and programs in the kernel, or gms's probes and streams with what they cost",
    examples: ["show maps where type == \"hash\" order by memory desc", "show probes"],
  },
  {
    name: "describe",
    syntax: "describe SOURCE",
    summary: "a map's key and value layout from BTF (with padding), or a tracepoint's fields",
    examples: ["describe map events", "describe tracepoint syscalls:sys_enter_openat"],
  },
  { name: "save", syntax: "save SOURCE to \"file.json\"", summary: "a snapshot of a map, readable offline with file \"...\"", examples: ["save map events to \"events.json\"", "save map id 42 to \"m.json\""] },
  { name: "explain", syntax: "explain STATEMENT", summary: "the sampler configuration a statement compiles to, and what runs in the kernel", examples: ["explain sample 1% from map events weighted by qps", "explain from tracepoint sched:sched_switch where prev_pid == 1 limit 3"] },
  { name: "let", syntax: "let NAME = EXPR", summary: "names a value for the statements that follow", examples: ["let slow = 500ms", "let who = \"nginx\""] },
  {
    name: "set",
    syntax: "set format table|json|ndjson|csv | set seed N | set stats on|off | set percpu sum|each | set budget P%|off",
    summary: "session settings",
    examples: ["set format json", "set budget 1%"],
  },
  { name: "watch", syntax: "watch every D QUERY", summary: "runs a sample, query, estimate or show again and again until Ctrl-C", examples: ["watch every 1s sample 10 from map events weighted by qps", "watch every 2s show probes"] },
  { name: "help", syntax: "help [STATEMENT]", summary: "this list, or one statement's syntax and examples", examples: ["help", "help sample"] },
];

/** helpFor: the entry of a statement by its first word, or undefined. */
export function helpFor(name: string): StatementHelp | undefined {
  return HELP.find((h) => h.name === name);
}
