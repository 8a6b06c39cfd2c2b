import type { ProbeSpec } from "./probe";
import { sched } from "./sched";
import { syscalls } from "./syscalls";

/** PROBES: every built-in probe, by name. */
export const PROBES: ReadonlyMap<string, ProbeSpec> = new Map([syscalls, sched].map((p) => [p.name, p]));
