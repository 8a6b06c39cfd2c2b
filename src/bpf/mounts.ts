import { readFileSync } from "node:fs";

const WHERE = { bpf: "/sys/fs/bpf", tracefs: "/sys/kernel/tracing" } as const;

/** TRACEFS: where tracefs lives (ensureMounted mounts it there when it is missing). */
export const TRACEFS = WHERE.tracefs;

function mounted(type: keyof typeof WHERE): boolean {
  try {
    return readFileSync("/proc/mounts", "utf8")
      .split("\n")
      .some((l) => {
        const [, dir, fstype] = l.split(" ");
        return dir === WHERE[type] && fstype === type;
      });
  } catch {
    return false;
  }
}

/**
 * ensureMounted: mounts bpffs at /sys/fs/bpf (or tracefs at /sys/kernel/tracing) when it is
 * missing and gms has the right to, and returns a sentence saying so; undefined when it was
 * already there. A failed mount is left for the operation that needs it to report.
 */
export function ensureMounted(type: keyof typeof WHERE): string | undefined {
  if (mounted(type)) return undefined;
  const p = Bun.spawnSync(["mount", "-t", type, type === "bpf" ? "bpf" : "nodev", WHERE[type]], { stderr: "pipe" });
  if (p.exitCode !== 0) return undefined;
  return `mounted ${type === "bpf" ? "bpffs" : "tracefs"} at ${WHERE[type]} (it was not mounted)`;
}
