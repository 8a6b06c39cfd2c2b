import { describe, beforeAll } from "bun:test";
import { existsSync } from "node:fs";

/**
 * kernelDescribe: a describe block for tests that need the real kernel (root, the bpf() syscall,
 * BTF). They never skip silently: without BPF every test in the block fails with the reason.
 * Only GMS_SKIP_KERNEL_TESTS=1, set by hand (CI never sets it), leaves them out, and says so.
 */
export function kernelDescribe(name: string, body: () => void): void {
  if (process.env.GMS_SKIP_KERNEL_TESTS === "1") {
    console.warn(`GMS_SKIP_KERNEL_TESTS=1: not running kernel tests '${name}'`);
    return;
  }
  describe(name, () => {
    beforeAll(async () => {
      if (process.getuid?.() !== 0) throw new Error("kernel tests need root (CI runs them as root)");
      if (!existsSync("/sys/kernel/btf/vmlinux")) throw new Error("kernel tests need BTF: /sys/kernel/btf/vmlinux is missing");
      const { mapIds } = await import("../src/bpf/maps");
      mapIds(); // throws a BpfError naming the errno when bpf() is unavailable
    });
    body();
  });
}

/**
 * statsCounting: whether BPF run-time statistics are on now, seen from a program that runs
 * often (its run count grows over `ms` while something calls it). The sysctl does not show
 * statistics turned on by an fd, so this watches the counts themselves.
 */
export async function statsCounting(programFd: number, poke: () => void, ms = 200): Promise<boolean> {
  const { runStats } = await import("../src/bpf/programs");
  const before = runStats(programFd).runCount;
  const end = Date.now() + ms;
  while (Date.now() < end) poke();
  return runStats(programFd).runCount > before;
}

/** BUILD: where `make` puts compiled objects and the gms executable. */
export const BUILD = new URL("../build/", import.meta.url).pathname;

/** waitUntil: polls `cond` until it holds or `ms` pass (kernel objects are freed asynchronously). */
export async function waitUntil(cond: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await Bun.sleep(50);
  }
  return cond();
}

/** bpftool: what bpftool says is loaded (`prog` or `link`); the tests do not trust gms's own view. */
export function bpftool(what: "prog" | "link"): { id: number; name?: string; prog_id?: number }[] {
  const p = Bun.spawnSync(["bpftool", what, "show", "-j"]);
  if (p.exitCode !== 0) throw new Error(`bpftool ${what} show: ${p.stderr}`);
  return JSON.parse(p.stdout.toString() || "[]");
}

/** programsNamed: how many programs of this name bpftool lists now. */
export function programsNamed(name: string): number {
  return bpftool("prog").filter((x) => x.name === name).length;
}
