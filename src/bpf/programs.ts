import { closeSync } from "node:fs";
import { libbpf } from "./libbpf";
import { BpfError, check, ENOENT } from "./errors";
import { kernelEnumName, kernelStruct } from "./kernel-btf";
import { allIds } from "./ids";

/** ProgInfo: what the kernel says of a loaded program (from `struct bpf_prog_info`). */
export interface ProgInfo {
  id: number;
  name: string;
  type: string;
  mapCount: number;
}


/** programIds: the ids of every loaded BPF program. Throws BpfError. */
export function programIds(): number[] {
  return allIds("program get next id", (id, out) => libbpf().bpf_prog_get_next_id(id, out));
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
