import { dlopen, FFIType } from "bun:ffi";

/**
 * libbpf: the symbols gms uses from the system's libbpf 1.x, opened with bun:ffi. This file only
 * declares symbols; every call's result goes through `check` or `checkPtr` in errors.ts.
 * Throws LibbpfMissingError when libbpf.so.1 cannot be opened.
 */
const { i32, u32, ptr, cstring } = FFIType;
const usize = FFIType.u64;

const SYMBOLS = {
  libbpf_get_error: { args: [ptr], returns: i32 },
  libbpf_set_print: { args: [ptr], returns: ptr },
  libbpf_num_possible_cpus: { args: [], returns: i32 },

  bpf_map_get_next_id: { args: [u32, ptr], returns: i32 },
  bpf_map_get_fd_by_id: { args: [u32], returns: i32 },
  bpf_prog_get_next_id: { args: [u32, ptr], returns: i32 },
  bpf_prog_get_fd_by_id: { args: [u32], returns: i32 },
  bpf_link_get_next_id: { args: [u32, ptr], returns: i32 },
  bpf_link_get_fd_by_id: { args: [u32], returns: i32 },
  bpf_enable_stats: { args: [i32], returns: i32 },
  bpf_obj_get: { args: [cstring], returns: i32 },
  bpf_obj_pin: { args: [i32, cstring], returns: i32 },
  bpf_obj_get_info_by_fd: { args: [i32, ptr, ptr], returns: i32 },
  bpf_map_lookup_elem: { args: [i32, ptr, ptr], returns: i32 },
  bpf_map_update_elem: { args: [i32, ptr, ptr, FFIType.u64], returns: i32 },
  bpf_map_delete_elem: { args: [i32, ptr], returns: i32 },
  bpf_map_get_next_key: { args: [i32, ptr, ptr], returns: i32 },
  bpf_map_lookup_batch: { args: [i32, ptr, ptr, ptr, ptr, ptr, ptr], returns: i32 },
  bpf_prog_test_run_opts: { args: [i32, ptr], returns: i32 },

  btf__load_from_kernel_by_id: { args: [u32], returns: ptr },
  btf__raw_data: { args: [ptr, ptr], returns: ptr },
  btf__free: { args: [ptr], returns: FFIType.void },

  bpf_object__open_mem: { args: [ptr, usize, ptr], returns: ptr },
  bpf_object__load: { args: [ptr], returns: i32 },
  bpf_object__close: { args: [ptr], returns: FFIType.void },
  bpf_object__find_map_by_name: { args: [ptr, cstring], returns: ptr },
  bpf_object__find_program_by_name: { args: [ptr, cstring], returns: ptr },
  bpf_object__btf: { args: [ptr], returns: ptr },
  bpf_program__fd: { args: [ptr], returns: i32 },
  bpf_program__attach: { args: [ptr], returns: ptr },
  bpf_map__fd: { args: [ptr], returns: i32 },
  bpf_map__reuse_fd: { args: [ptr, i32], returns: i32 },
  bpf_map__set_value_size: { args: [ptr, u32], returns: i32 },
  bpf_map__set_max_entries: { args: [ptr, u32], returns: i32 },
  bpf_map__set_initial_value: { args: [ptr, ptr, usize], returns: i32 },
  bpf_link__destroy: { args: [ptr], returns: i32 },
  bpf_program__attach_tracepoint: { args: [ptr, cstring, cstring], returns: ptr },

  // libc's, found through libbpf's handle (dlsym searches a library's dependencies): a ring
  // buffer map is read where the kernel writes it.
  mmap: { args: [ptr, usize, i32, i32, i32, FFIType.i64], returns: ptr },
  munmap: { args: [ptr, usize], returns: i32 },
  // The prompt looks, between batches of a long read, for a Ctrl-C typed meanwhile (interrupt.ts).
  poll: { args: [ptr, usize, i32], returns: i32 },
  read: { args: [i32, ptr, usize], returns: FFIType.i64 },
} as const;

/** LibbpfMissingError: the system has no usable libbpf.so.1. */
export class LibbpfMissingError extends Error {
  constructor(cause: unknown) {
    super(
      `cannot open libbpf.so.1 (${cause instanceof Error ? cause.message : String(cause)}); ` +
        "install it with 'apt-get install libbpf1' (gms needs libbpf 1.x)",
    );
    this.name = "LibbpfMissingError";
  }
}

type Library = ReturnType<typeof dlopen<typeof SYMBOLS>>["symbols"];
let symbols: Library | undefined;

/** libbpf: the opened library, opened on first use so pure modules never touch the system. */
export function libbpf(): Library {
  if (symbols) return symbols;
  try {
    symbols = dlopen(process.env.GMS_LIBBPF ?? "libbpf.so.1", SYMBOLS).symbols;
  } catch (e) {
    throw new LibbpfMissingError(e);
  }
  // Quiet libbpf's own stderr logging unless asked for: gms reports errors itself.
  if (!process.env.GMS_DEBUG) symbols.libbpf_set_print(null);
  return symbols;
}
