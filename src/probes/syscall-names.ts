import names from "../../build/syscall-names.json" with { type: "json" };
import type { Value } from "../bpf/btf-decode";

const NAMES = names as Record<string, string>;

/**
 * syscallName: the name of x86-64 syscall `nr` (from the kernel's unistd_64.h at build time),
 * or null for a number it does not list.
 */
export function syscallName(nr: Value): Value {
  return typeof nr === "number" ? (NAMES[String(nr)] ?? null) : null;
}
