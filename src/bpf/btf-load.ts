import { toArrayBuffer } from "bun:ffi";
import { Btf } from "./btf";
import { checkPtr } from "./errors";
import { libbpf } from "./libbpf";

type LibbpfBtf = NonNullable<ReturnType<ReturnType<typeof libbpf>["btf__load_from_kernel_by_id"]>>;

/** btfOf: a copy of a libbpf `struct btf` (which stays its owner's to free), parsed. Throws BpfError. */
export function btfOf(btf: LibbpfBtf): Btf {
  const size = new Uint32Array(1);
  const raw = checkPtr("BTF raw data", libbpf().btf__raw_data(btf, size));
  return new Btf(new Uint8Array(toArrayBuffer(raw, 0, size[0]!)).slice());
}

/** loadKernelBtf: the kernel's BTF object `id` (a map's or a program's), parsed. Throws BpfError. */
export function loadKernelBtf(id: number): Btf {
  const lib = libbpf();
  const btf = checkPtr(`load BTF id ${id}`, lib.btf__load_from_kernel_by_id(id));
  try {
    return btfOf(btf);
  } finally {
    lib.btf__free(btf);
  }
}
