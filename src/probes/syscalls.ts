import object from "../../build/syscalls.bpf.o" with { type: "file" };
import { processCondition, type Expr } from "../lang/ast";
import { diagnostic, DiagnosticError } from "../lang/diagnostic";
import { processOp, sampling } from "../bpf/config-slots";
import type { ProbeConfig, ProbeOptions, ProbeSpec } from "./probe";
import { syscallName } from "./syscall-names";

const KERNEL_WHERE = "in the kernel, 'trace syscalls where' takes pid and comm compared with == or != and joined by 'and'";

/** kernelFilter: a where clause as the probe's pid and comm comparisons. Throws DiagnosticError. */
function kernelFilter(e: Expr, fields: Record<string, number | string>, parts: string[]): void {
  if (e.kind === "binary" && e.op === "and") {
    kernelFilter(e.left, fields, parts);
    kernelFilter(e.right, fields, parts);
    return;
  }
  const p = processCondition(e);
  if (p) {
    if (fields[`${p.field}_op`]) throw new DiagnosticError([diagnostic(e.span, `only one ${p.field} comparison runs in the kernel`, KERNEL_WHERE)]);
    Object.assign(fields, { [`${p.field}_op`]: processOp(p.op), [p.field]: p.value });
    parts.push(`${p.field} ${p.op} ${p.field === "pid" ? p.value : JSON.stringify(p.value)}`);
    return;
  }
  throw new DiagnosticError([diagnostic(e.span, "this condition cannot run in the kernel", KERNEL_WHERE)]);
}

function build(opts: ProbeOptions): ProbeConfig {
  const drawn = sampling(opts.sample);
  const fields: Record<string, number | string> = { ...drawn.fields };
  const parts: string[] = [];
  const { probability } = drawn;
  if (probability < 1) {
    parts.push(`counting ${+(probability * 100).toPrecision(6)}% of syscalls (p=${probability})`);
  }
  if (opts.where) {
    const filters: string[] = [];
    kernelFilter(opts.where, fields, filters);
    parts.push(`where ${filters.join(" and ")}`);
  }
  return { fields, probability, summary: parts.join(", ") };
}

/**
 * syscalls: per-process syscall counters from the raw_syscalls tracepoints (attached as raw
 * tracepoints). Map `events`, key `pid`, value: comm, calls, errors (negative returns), qps
 * (calls in the last full second, rolled in the kernel by a BPF timer), this_sec, total_ns,
 * max_ns. Map `syscalls`, key `pid` and `nr`: the same counters per syscall, with its name
 * (`syscall`) from the number. A call is decided (filter, sampling) when it enters and counted when it returns; its
 * entry time waits in task-local storage. With `sample P%` each syscall is counted with
 * probability p (all the counters are then of the sample); `where` keeps pid and comm conditions
 * in the kernel. Needs a kernel with BPF timers, bpf_for_each_map_elem and task storage for
 * tracing programs (5.15+).
 */
export const syscalls: ProbeSpec = {
  name: "syscalls",
  description: "per-process syscall counts, errors, rate and latency",
  object,
  attach: ["on_enter", "on_exit"],
  runOnce: ["start_clock"],
  maps: ["events", "syscalls"],
  derived: { syscalls: [{ from: "nr", name: "syscall", text: true, compute: syscallName }] },
  config: { map: "syscalls_cfg", index: "syscalls_cfg_at", build },
};
