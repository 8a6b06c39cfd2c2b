/**
 * split-read: the shared-memory protocols between the main thread and its one worker thread
 * (read-worker.ts), the second reader of a split hash map read (maps.ts) and the runner of
 * in-kernel map walks (map-walk.ts), and that Worker.
 */
import { availableParallelism } from "node:os";

/** Words of the control array (an Int32Array over a SharedArrayBuffer). */
export const CTRL = {
  /** 0: unclaimed; 1: the worker reads the second half; 2: the main thread does. */
  claim: 0,
  /** Batches the worker has written (each in slot `n % slots`). */
  produced: 1,
  /** Batches the main thread has released. */
  consumed: 2,
  /** 1 once the worker has stopped. */
  done: 3,
  /** The errno of the worker's failed call, 0 if none. */
  errno: 4,
  /** Set by the main thread: stop reading (the read ended early or failed). */
  cancel: 6,
  /** Per slot, three words from here: entries, start token, out token. */
  slots: 8,
} as const;

/** ReadJob: what the worker is asked to read. */
export interface ReadJob {
  kind: "read";
  fd: number;
  /** The first bucket of the second half. */
  from: number;
  keySize: number;
  /** Bytes per value as the kernel copies it out. */
  stride: number;
  /** Entries per batch slot. */
  batch: number;
  slots: number;
  ctrl: SharedArrayBuffer;
  data: SharedArrayBuffer;
}

/**
 * WalkJob: the worker runs a map-walk program (map-walk.ts) once, which blocks it until the walk
 * ends, while the main thread takes the entries as they come; then it stores the run's errno
 * (0 if none) in ctrl[1] and 1 in ctrl[0], and wakes the main thread.
 */
export interface WalkJob {
  kind: "walk";
  programFd: number;
  ctrl: SharedArrayBuffer;
}

let worker: Worker | undefined | null;

/**
 * The worker's module. `bun build --compile` embeds it as a second entry point (see the
 * Makefile), which the executable finds by its path relative to the first one's directory
 * (src/); a URL made from import.meta.url would name the source file on disk, which is loaded
 * when it happens to exist (in this tree) and is missing everywhere else, where the read then
 * fell back to one thread without a word.
 */
const WORKER_MODULE = Bun.isStandaloneExecutable ? "./bpf/read-worker.ts" : new URL("./read-worker.ts", import.meta.url).href;

/**
 * readWorker: the worker thread that reads second halves, started on first use and kept for the
 * session (it does not keep gms alive); null when there is one CPU, when GMS_READERS=1 asks for
 * a single reader, or when no worker can be started.
 */
export function readWorker(): Worker | null {
  if (worker !== undefined) return worker;
  if (availableParallelism() < 2 || process.env.GMS_READERS === "1") return (worker = null);
  try {
    worker = new Worker(WORKER_MODULE);
    worker.unref();
  } catch {
    worker = null;
  }
  return worker;
}
