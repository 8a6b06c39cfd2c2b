import object from "../../build/syscalls.bpf.o" with { type: "file" };
import type { ProbeSpec } from "./probe";

/**
 * syscalls: per-process syscall counters from the raw_syscalls tracepoints (attached as raw
 * tracepoints). Map `events`, key `pid`, value: comm, calls, errors (negative returns), qps
 * (calls in the last full second, rolled in the kernel by a BPF timer), this_sec, total_ns,
 * max_ns. Needs a kernel with BPF timers and bpf_for_each_map_elem (5.15+).
 */
export const syscalls: ProbeSpec = {
  name: "syscalls",
  description: "per-process syscall counts, errors, rate and latency",
  object,
  attach: ["on_enter", "on_exit"],
  runOnce: ["start_clock"],
  maps: ["events"],
};
