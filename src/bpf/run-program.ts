import { libbpf } from "./libbpf";

/**
 * runProgram: runs the `syscall` program with this fd once (BPF_PROG_TEST_RUN, from any thread):
 * its return value (as a u32), or a negative errno when the run failed. Throws nothing.
 */
export function runProgram(fd: number): number {
  // struct bpf_test_run_opts (libbpf's, not the kernel's): sz, then fields; retval at byte 56.
  const opts = new Uint8Array(80);
  const view = new DataView(opts.buffer);
  view.setBigUint64(0, 80n, true);
  const rc = libbpf().bpf_prog_test_run_opts(fd, opts);
  return rc < 0 ? rc : view.getUint32(56, true);
}
