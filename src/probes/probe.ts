/**
 * ProbeSpec: a catalog entry for one of gms's own probes: the compiled object (embedded in the
 * executable), the programs to attach, the `syscall` programs to run once after attaching, and
 * the maps it fills (the names users query).
 */
export interface ProbeSpec {
  name: string;
  description: string;
  /** Path of the compiled `build/NAME.bpf.o` (inside the executable once compiled). */
  object: string;
  attach: string[];
  runOnce: string[];
  maps: string[];
}
