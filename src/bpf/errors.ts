import { constants } from "node:os";
import { libbpf } from "./libbpf";

/** ENOENT: the errno of a missing map, program, key, or the end of a get-next walk. */
export const ENOENT = constants.errno.ENOENT;
/** EINVAL: the errno of a bad argument, and the one gms reports when libbpf lost the real one. */
export const EINVAL = constants.errno.EINVAL;

const ERRNO_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(constants.errno).map(([name, n]) => [n, name]),
);

const ERRNO_TEXT: Record<string, string> = {
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  ESRCH: "No such process",
  EINTR: "Interrupted system call",
  EIO: "Input/output error",
  E2BIG: "Argument list too long",
  EBADF: "Bad file descriptor",
  EAGAIN: "Resource temporarily unavailable",
  ENOMEM: "Cannot allocate memory",
  EACCES: "Permission denied",
  EFAULT: "Bad address",
  EBUSY: "Device or resource busy",
  EEXIST: "File exists",
  EINVAL: "Invalid argument",
  ENOSPC: "No space left on device",
  ENOSYS: "Function not implemented",
  ENOTSUP: "Operation not supported",
  EOPNOTSUPP: "Operation not supported",
  ELOOP: "Too many levels of symbolic links",
  ENOTSUPP: "Operation not supported",
};

/** errnoName: the symbolic name of an errno value (`ENOSPC`), or `errno N` if unknown. */
export function errnoName(errno: number): string {
  if (errno === 524) return "ENOTSUPP"; // kernel-internal, leaks out of the bpf() syscall
  return ERRNO_NAMES[errno] ?? `errno ${errno}`;
}

/**
 * BpfError: a failed call into libbpf or the bpf() syscall. Its message names the operation and
 * the errno, as in `map lookup batch: ENOSPC (No space left on device)`.
 */
export class BpfError extends Error {
  constructor(
    readonly operation: string,
    readonly errno: number,
    readonly detail?: string,
  ) {
    const name = errnoName(errno);
    const text = ERRNO_TEXT[name];
    super(`${operation}: ${name}${text ? ` (${text})` : ""}${detail ? `: ${detail}` : ""}`);
    this.name = "BpfError";
  }

  get code(): string {
    return errnoName(this.errno);
  }

  /** isPermission: the caller lacks a privilege (root, or CAP_BPF with CAP_PERFMON). */
  get isPermission(): boolean {
    return this.code === "EPERM" || this.code === "EACCES";
  }
}

/**
 * check: the one checker every libbpf return code passes through. libbpf 1.x returns a negative
 * errno on failure; anything else is a success and is returned as is.
 * Throws BpfError naming `operation`.
 */
export function check(operation: string, rc: number): number {
  if (rc < 0) throw new BpfError(operation, -rc);
  return rc;
}

/**
 * checkPtr: the checker for libbpf calls that return a pointer. libbpf 1.x returns NULL and sets
 * errno on failure; `libbpf_get_error(NULL)` reads that errno back.
 * Throws BpfError naming `operation`.
 */
export function checkPtr<P>(operation: string, p: P | null): P {
  if (p) return p;
  const rc = libbpf().libbpf_get_error(null);
  throw new BpfError(operation, rc < 0 ? -rc : EINVAL);
}
