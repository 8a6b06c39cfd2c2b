import { readFileSync } from "node:fs";
import { Btf, Kind } from "./btf";
import { reader, type Value } from "./btf-decode";

const VMLINUX = "/sys/kernel/btf/vmlinux";

/** KernelBtfMissingError: the running kernel publishes no BTF (needs CONFIG_DEBUG_INFO_BTF, 5.4+). */
export class KernelBtfMissingError extends Error {
  constructor() {
    super(`the kernel has no BTF (${VMLINUX} is missing): gms needs a kernel built with CONFIG_DEBUG_INFO_BTF=y (5.4 or later)`);
    this.name = "KernelBtfMissingError";
  }
}

let vmlinux: Btf | undefined;

/** kernelBtf: the running kernel's BTF, read once. Throws KernelBtfMissingError. */
export function kernelBtf(): Btf {
  if (vmlinux) return vmlinux;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(VMLINUX);
  } catch {
    throw new KernelBtfMissingError();
  }
  vmlinux = new Btf(bytes);
  return vmlinux;
}

const structs = new Map<string, { id: number; size: number; read: (b: Uint8Array) => Record<string, Value> }>();

/**
 * kernelStruct: a kernel UAPI struct (`bpf_map_info`, `bpf_prog_info`) as the running kernel's
 * BTF lays it out, so gms never writes those layouts by hand. Throws Error if the kernel lacks it.
 */
export function kernelStruct(name: string) {
  const hit = structs.get(name);
  if (hit) return hit;
  const btf = kernelBtf();
  const id = btf.find(name, Kind.STRUCT)[0];
  if (id === undefined) throw new Error(`the kernel's BTF has no struct ${name}`);
  const read = reader(btf, id);
  const entry = {
    id,
    size: btf.sizeOf(id),
    read: (b: Uint8Array) => read(new DataView(b.buffer, b.byteOffset, b.byteLength), 0) as Record<string, Value>,
  };
  structs.set(name, entry);
  return entry;
}

const enums = new Map<string, Map<number, string>>();

/**
 * kernelEnumName: the name of a value of a kernel enum, lower case and without its common prefix
 * (`bpf_map_type` 1 -> `hash`). Unknown values come back as their number.
 */
export function kernelEnumName(enumName: string, prefix: string, value: number): string {
  let names = enums.get(enumName);
  if (!names) {
    names = new Map();
    const btf = kernelBtf();
    const id = btf.find(enumName, Kind.ENUM)[0];
    const t = id === undefined ? undefined : btf.type(id);
    if (t && t.kind === Kind.ENUM) {
      for (const v of t.values) names.set(Number(v.value), v.name.replace(prefix, "").toLowerCase());
    }
    enums.set(enumName, names);
  }
  return names.get(value) ?? String(value);
}
