import type { Pointer } from "bun:ffi";
import { libbpf } from "./libbpf";
import { BpfError, EINVAL } from "./errors";

export const PROT_READ = 1;
export const PROT_WRITE = 2;
const MAP_SHARED = 1;

/**
 * mapFd: a shared mapping of `length` bytes of a map's memory (a ring buffer, an mmap-able
 * array) from `offset`; `what` names it in errors. Unmap it with `unmap`. Throws BpfError.
 */
export function mapFd(fd: number, length: number, prot: number, offset: number, what: string): Pointer {
  const p = libbpf().mmap(null, length, prot, MAP_SHARED, fd, offset) as Pointer | null;
  // MAP_FAILED is (void *)-1; errno is not at hand through bun:ffi, so EPERM-or-EINVAL is all we say.
  if (!p || Number(p) === -1 || Number(p) === 2 ** 64 - 1) throw new BpfError(`map ${what}`, EINVAL);
  return p;
}

/** unmap: undoes mapFd. Throws nothing. */
export function unmap(p: Pointer, length: number): void {
  libbpf().munmap(p, length);
}
