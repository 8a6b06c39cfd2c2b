import type { ProbeSpec } from "./probe";
import { syscalls } from "./syscalls";

/** PROBES: every built-in probe, by name. */
export const PROBES: ReadonlyMap<string, ProbeSpec> = new Map([syscalls].map((p) => [p.name, p]));
