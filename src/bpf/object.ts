import { libbpf } from "./libbpf";
import { runProgram } from "./run-program";
import { BpfError, check, checkPtr, ENOENT } from "./errors";
import { MapHandle } from "./maps";
import type { Btf } from "./btf";
import { btfOf } from "./btf-load";

type Pointer = NonNullable<ReturnType<ReturnType<typeof libbpf>["bpf_object__open_mem"]>>;

const live = new Set<BpfObject>();

/**
 * BpfObject: one of gms's own compiled BPF objects, opened from memory, loaded into the kernel,
 * with the links of the programs it attached. Every open object is tracked so `closeAllObjects`
 * can detach everything on exit; link fds also close with the process, so even SIGKILL leaves
 * nothing attached (nothing is pinned).
 */
export class BpfObject {
  private links: Pointer[] = [];
  private closed = false;

  private constructor(
    readonly name: string,
    private readonly obj: Pointer,
    // libbpf parses the ELF in place until load ends: the bytes must outlive that.
    private readonly image: Uint8Array,
  ) {
    live.add(this);
  }

  /**
   * open: opens and loads an object file's bytes; `prepare`, when given, sets the object up
   * between the two (its constants, the sizes of its maps, another program's map in place of
   * one of its own). Throws BpfError (EPERM without privilege, or the verifier's refusal; set
   * GMS_DEBUG=1 to see libbpf's log), and what `prepare` throws.
   */
  static load(name: string, image: Uint8Array, prepare?: (setup: ObjectSetup) => void): BpfObject {
    const lib = libbpf();
    const obj = checkPtr(`open BPF object ${name}`, lib.bpf_object__open_mem(image, image.byteLength, null));
    const o = new BpfObject(name, obj, image);
    try {
      prepare?.(o.setup());
      check(`load BPF object ${name}`, lib.bpf_object__load(obj));
    } catch (e) {
      o.close();
      throw e;
    }
    return o;
  }

  private types?: Btf;

  /** btf: the object's own BTF (the types of its maps and globals). Throws BpfError. */
  btf(): Btf {
    return (this.types ??= btfOf(checkPtr(`BTF of ${this.name}`, libbpf().bpf_object__btf(this.obj))));
  }

  private findMap(name: string): Pointer {
    const m = libbpf().bpf_object__find_map_by_name(this.obj, Buffer.from(`${name}\0`));
    if (!m) throw new BpfError(`find map ${name} in ${this.name}`, ENOENT);
    return m as Pointer;
  }

  /** setup: what `prepare` may change before load; each change throws BpfError when libbpf refuses it. */
  private setup(): ObjectSetup {
    const lib = libbpf();
    const op = (what: string, map: string) => `${what} of ${this.name}/${map}`;
    return {
      btf: () => this.btf(),
      reuseMap: (map, fd) => void check(op("reuse map fd", map), lib.bpf_map__reuse_fd(this.findMap(map), fd)),
      resizeMap: (map, valueSize, maxEntries) => {
        check(op("set value size", map), lib.bpf_map__set_value_size(this.findMap(map), valueSize));
        check(op("set max entries", map), lib.bpf_map__set_max_entries(this.findMap(map), maxEntries));
      },
      setData: (map, bytes) => void check(op("set initial value", map), lib.bpf_map__set_initial_value(this.findMap(map), bytes, bytes.byteLength)),
    };
  }

  private findProgram(name: string): Pointer | null {
    return libbpf().bpf_object__find_program_by_name(this.obj, Buffer.from(`${name}\0`)) as Pointer | null;
  }

  private program(name: string): Pointer {
    const p = this.findProgram(name);
    if (!p) throw new BpfError(`find program ${name} in ${this.name}`, ENOENT);
    return p;
  }

  /** hasProgram: whether the object has a program of this name (some are built for one architecture only). */
  hasProgram(name: string): boolean {
    return !!this.findProgram(name);
  }

  /** attach: attaches a program where its section says (raw_tp/..., tp/...). Throws BpfError. */
  attach(program: string): void {
    const link = checkPtr(`attach ${this.name}/${program}`, libbpf().bpf_program__attach(this.program(program)));
    this.links.push(link);
  }

  /**
   * attachTracepoint: attaches a program to the tracepoint CATEGORY:NAME chosen at run time (a
   * `SEC("tracepoint")` program). Throws BpfError (ENOENT for a tracepoint the kernel lacks).
   */
  attachTracepoint(program: string, category: string, name: string): void {
    const link = checkPtr(
      `attach ${this.name}/${program} to tracepoint ${category}:${name}`,
      libbpf().bpf_program__attach_tracepoint(this.program(program), Buffer.from(`${category}\0`), Buffer.from(`${name}\0`)),
    );
    this.links.push(link);
  }

  /** programFd: the fd of one of the object's programs (owned by the object). Throws BpfError. */
  programFd(name: string): number {
    return check(`program ${name} of ${this.name}`, libbpf().bpf_program__fd(this.program(name)));
  }

  /** run: runs a `syscall` program once (BPF_PROG_TEST_RUN) and returns its return value. */
  run(program: string): number {
    return check(`run ${this.name}/${program}`, runProgram(libbpf().bpf_program__fd(this.program(program))));
  }

  /** map: a handle on one of the object's maps (its own fd, closed by the caller). */
  map(name: string): MapHandle {
    // Reopen by id so the handle owns its fd and may close it without touching the object's.
    const own = MapHandle.fromFd(libbpf().bpf_map__fd(this.findMap(name)), false);
    return MapHandle.byId(own.info.id);
  }

  /** close: detaches every link and unloads the object. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const lib = libbpf();
    for (const l of this.links.reverse()) lib.bpf_link__destroy(l);
    this.links = [];
    lib.bpf_object__close(this.obj);
    live.delete(this);
  }
}

/**
 * ObjectSetup: changes to an opened object before it is loaded (BpfObject.load's `prepare`).
 * Maps are named as in the object: `.rodata` holds its constants.
 */
export interface ObjectSetup {
  btf(): Btf;
  /** reuseMap: the map with this fd (another program's) in place of the object's own `map`. */
  reuseMap(map: string, fd: number): void;
  resizeMap(map: string, valueSize: number, maxEntries: number): void;
  /** setData: the initial bytes of a global data section (`.rodata`, `.data`), all of it. */
  setData(map: string, bytes: Uint8Array): void;
}

/** closeAllObjects: detaches and unloads every object gms loaded (exit, signals, fatal errors). */
export function closeAllObjects(): void {
  for (const o of [...live]) o.close();
}
