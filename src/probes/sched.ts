import object from "../../build/sched.bpf.o" with { type: "file" };
import type { ProbeSpec } from "./probe";

/**
 * sched: run-queue latency, the wait between becoming runnable (woken, or preempted) and
 * running, from the sched_wakeup, sched_wakeup_new and sched_switch raw tracepoints. Map `runq`,
 * key `pid`: comm, waits, total_ns, max_ns; map `runq_hist`: a log2 histogram of every wait,
 * slot i counting waits of [2^i, 2^(i+1)) microseconds (shown with a bar chart). No sampling or
 * filter options: every wait is counted.
 */
export const sched: ProbeSpec = {
  name: "sched",
  description: "run-queue latency per process and as a log2 histogram",
  object,
  attach: ["on_wakeup", "on_wakeup_new", "on_switch"],
  runOnce: [],
  maps: ["runq", "runq_hist"],
  histograms: { runq_hist: { unit: "us", count: "count" } },
};
