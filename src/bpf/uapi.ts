import { readFileSync } from "node:fs";
import object from "../../build/uapi.bpf.o" with { type: "file" };
import { type Btf, Kind } from "./btf";
import { btfOf } from "./btf-load";
import { reader, type Value } from "./btf-decode";
import { checkPtr } from "./errors";
import { libbpf } from "./libbpf";

let types: Btf | undefined;

/**
 * uapiBtf: the BTF of gms's bpf/uapi.bpf.c, which describes the kernel UAPI types gms reads
 * (see there), read once from the embedded object. Only opened by libbpf, never loaded, so it
 * needs neither privilege nor a kernel with BTF. Throws BpfError.
 */
export function uapiBtf(): Btf {
  if (types) return types;
  const lib = libbpf();
  const image = readFileSync(object);
  const obj = checkPtr("open bpf/uapi.bpf.o", lib.bpf_object__open_mem(image, image.byteLength, null));
  try {
    types = btfOf(checkPtr("BTF of bpf/uapi.bpf.o", lib.bpf_object__btf(obj)));
  } finally {
    lib.bpf_object__close(obj);
    // libbpf reads the ELF in place while the object is open: the bytes must live until here.
    image.fill(0, 0, 0);
  }
  return types;
}

const structs = new Map<string, { id: number; size: number; read: (b: Uint8Array) => Record<string, Value> }>();

/**
 * uapiStruct: a kernel UAPI struct (`bpf_map_info`, `bpf_prog_info`, `bpf_link_info`) laid out
 * from uapiBtf, so gms never writes those layouts by hand. Throws Error for a struct
 * bpf/uapi.bpf.c does not declare.
 */
export function uapiStruct(name: string) {
  const hit = structs.get(name);
  if (hit) return hit;
  const btf = uapiBtf();
  const id = btf.find(name, Kind.STRUCT)[0];
  if (id === undefined) throw new Error(`bpf/uapi.bpf.c declares no struct ${name}`);
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
 * uapiEnumName: the name of a value of a UAPI enum, lower case and without its common prefix
 * (`bpf_map_type` 1 -> `hash`). Values newer than this build (and unknown enums) come back as
 * their number.
 */
export function uapiEnumName(enumName: string, prefix: string, value: number): string {
  let names = enums.get(enumName);
  if (!names) {
    names = new Map();
    const btf = uapiBtf();
    const id = btf.find(enumName, Kind.ENUM)[0];
    const t = id === undefined ? undefined : btf.type(id);
    if (t && t.kind === Kind.ENUM) {
      for (const v of t.values) names.set(Number(v.value), v.name.replace(prefix, "").toLowerCase());
    }
    enums.set(enumName, names);
  }
  return names.get(value) ?? String(value);
}
