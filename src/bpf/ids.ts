import { check, ENOENT } from "./errors";


/**
 * allIds: walks one of the kernel's id spaces (maps, programs) with its get-next-id call until
 * ENOENT. Throws BpfError naming `operation` (EPERM without privilege).
 */
export function allIds(operation: string, next: (id: number, out: Uint32Array) => number): number[] {
  const out = new Uint32Array(1);
  const ids: number[] = [];
  for (let id = 0; ; ) {
    const rc = next(id, out);
    if (rc === -ENOENT) return ids;
    check(operation, rc);
    id = out[0]!;
    ids.push(id);
  }
}
