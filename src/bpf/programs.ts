import { closeSync } from "node:fs";
import { libbpf } from "./libbpf";
import { BpfError, check } from "./errors";
import { kernelEnumName, kernelStruct } from "./kernel-btf";

/** ProgInfo: what the kernel says of a loaded program (from `struct bpf_prog_info`). */
export interface ProgInfo {
  id: number;
  name: string;
  type: string;
  mapCount: number;
}

const ENOENT = 2;

function nextIds(op: string, next: (id: number, out: Uint32Array) => number): number[] {
  const out = new Uint32Array(1);
  const ids: number[] = [];
  for (let id = 0; ; ) {
    const rc = next(id, out);
    if (rc === -ENOENT) return ids;
    check(op, rc);
    id = out[0]!;
    ids.push(id);
  }
}

/** programIds: the ids of every loaded BPF program. Throws BpfError. */
export function programIds(): number[] {
  return nextIds("program get next id", (id, out) => libbpf().bpf_prog_get_next_id(id, out));
}

/** linkIds: the ids of every BPF link. Throws BpfError. */
export function linkIds(): number[] {
  return nextIds("link get next id", (id, out) => libbpf().bpf_link_get_next_id(id, out));
}

/** allProgramInfos: the info of every loaded program, skipping programs unloaded meanwhile. */
export function allProgramInfos(): ProgInfo[] {
  const s = kernelStruct("bpf_prog_info");
  const out: ProgInfo[] = [];
  for (const id of programIds()) {
    const fd = libbpf().bpf_prog_get_fd_by_id(id);
    if (fd === -ENOENT) continue;
    check(`open program id ${id}`, fd);
    try {
      const buf = new Uint8Array(s.size);
      const len = new Uint32Array([s.size]);
      check("program info", libbpf().bpf_obj_get_info_by_fd(fd, buf, len));
      const i = s.read(buf);
      out.push({
        id: i.id as number,
        name: i.name as string,
        type: kernelEnumName("bpf_prog_type", "BPF_PROG_TYPE_", i.type as number),
        mapCount: i.nr_map_ids as number,
      });
    } catch (e) {
      if (!(e instanceof BpfError && e.code === "ENOENT")) throw e;
    } finally {
      closeSync(fd);
    }
  }
  return out;
}
