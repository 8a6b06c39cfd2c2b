import { closeSync, readFileSync } from "node:fs";
import { ptr } from "bun:ffi";
import { libbpf } from "./libbpf";
import { BpfError, check, ENOENT } from "./errors";
import { uapiBtf, uapiEnumName, uapiStruct } from "./uapi";
import { allIds } from "./ids";
import { encodeValue } from "./btf-decode";

/** ProgInfo: what the kernel says of a loaded program (from `struct bpf_prog_info`). */
export interface ProgInfo {
  id: number;
  name: string;
  type: string;
  mapIds: number[];
  /** Runs and run time: counted only while BPF statistics are on (`set stats on`). */
  runCount: number;
  runTimeNs: number;
  /** Where its links attach it (`raw_tracepoint sys_enter`), when known. */
  attach: string[];
}

/** programIds: the ids of every loaded BPF program. Throws BpfError. */
export function programIds(): number[] {
  return allIds("program get next id", (id, out) => libbpf().bpf_prog_get_next_id(id, out));
}

/**
 * objectInfo: `bpf_obj_get_info_by_fd` into a UAPI struct laid out from gms's own BTF (uapi.ts),
 * with some members set first (to pass buffers in). Throws BpfError.
 */
function objectInfo(fd: number, struct: string, what: string, set: Record<string, number | bigint> = {}) {
  const s = uapiStruct(struct);
  const buf = Object.keys(set).length ? encodeValue(uapiBtf(), s.id, set) : new Uint8Array(s.size);
  const len = new Uint32Array([s.size]);
  check(what, libbpf().bpf_obj_get_info_by_fd(fd, buf, len));
  return s.read(buf);
}

function withFd<T>(fd: number, op: string, use: (fd: number) => T): T | undefined {
  if (fd === -ENOENT) return undefined; // gone since it was listed
  check(op, fd);
  try {
    return use(fd);
  } catch (e) {
    if (e instanceof BpfError && e.code === "ENOENT") return undefined;
    throw e;
  } finally {
    closeSync(fd);
  }
}

/** attachPoints: for each program id, where its links attach it. Throws BpfError. */
export function attachPoints(): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const ids = allIds("link get next id", (id, o) => libbpf().bpf_link_get_next_id(id, o));
  for (const id of ids) {
    withFd(libbpf().bpf_link_get_fd_by_id(id), `open link id ${id}`, (fd) => {
      const first = objectInfo(fd, "bpf_link_info", "link info");
      const type = uapiEnumName("bpf_link_type", "BPF_LINK_TYPE_", first.type as number);
      let where = type;
      if (type === "raw_tracepoint") {
        const name = new Uint8Array(128);
        objectInfo(fd, "bpf_link_info", "link info", {
          "raw_tracepoint.tp_name": BigInt(ptr(name)),
          "raw_tracepoint.tp_name_len": name.length,
        });
        where = `raw_tracepoint ${new TextDecoder().decode(name.subarray(0, name.indexOf(0)))}`;
      }
      const prog = first.prog_id as number;
      out.set(prog, [...(out.get(prog) ?? []), where]);
    });
  }
  return out;
}

/** allProgramInfos: the info of every loaded program, skipping programs unloaded meanwhile. */
export function allProgramInfos(): ProgInfo[] {
  const attach = attachPoints();
  const out: ProgInfo[] = [];
  for (const id of programIds()) {
    const info = withFd(libbpf().bpf_prog_get_fd_by_id(id), `open program id ${id}`, (fd) => {
      const first = objectInfo(fd, "bpf_prog_info", "program info");
      const n = first.nr_map_ids as number;
      const mapIds = new Uint32Array(Math.max(1, n));
      const i = n ? objectInfo(fd, "bpf_prog_info", "program info", { nr_map_ids: n, map_ids: BigInt(ptr(mapIds)) }) : first;
      return {
        id: i.id as number,
        name: i.name as string,
        type: uapiEnumName("bpf_prog_type", "BPF_PROG_TYPE_", i.type as number),
        mapIds: [...mapIds.subarray(0, Math.min(n, i.nr_map_ids as number))],
        runCount: Number(i.run_cnt),
        runTimeNs: Number(i.run_time_ns),
        attach: attach.get(i.id as number) ?? [],
      };
    });
    if (info) out.push(info);
  }
  return out;
}

/** RunStats: a program's runs and run time so far (counted while BPF statistics are on). */
export interface RunStats {
  runCount: number;
  runTimeNs: number;
}

/** runStats: a program's run count and run time, from its fd. Throws BpfError. */
export function runStats(fd: number): RunStats {
  const i = objectInfo(fd, "bpf_prog_info", "program info");
  return { runCount: Number(i.run_cnt), runTimeNs: Number(i.run_time_ns) };
}

/**
 * statsEnabled: whether the sysctl kernel.bpf_stats_enabled turns BPF run-time statistics on.
 * Statistics turned on by a BPF_ENABLE_STATS fd (gms's own included) do not show here.
 */
export function statsEnabled(): boolean {
  try {
    return readFileSync("/proc/sys/kernel/bpf_stats_enabled", "utf8").trim() === "1";
  } catch {
    return false;
  }
}

/**
 * enableStats: turns BPF run-time statistics on (BPF_ENABLE_STATS, 5.8+) for as long as the
 * returned fd stays open: closing it, or gms exiting, turns them back off.
 * Throws BpfError.
 */
export function enableStats(): number {
  return check("enable BPF statistics", libbpf().bpf_enable_stats(0 /* BPF_STATS_RUN_TIME */));
}
