/**
 * read-worker: the main thread's one worker thread. It runs in-kernel map walks (WalkJob, see
 * map-walk.ts), and it is the second reader of a split hash map read (see startSplit in maps.ts):
 * it reads the buckets from `from` to the end with bpf_map_lookup_batch straight into a ring of
 * batch slots in shared memory, and waits when the ring is full. The map's fd is the main
 * thread's (descriptors belong to the process). It never throws: a failing call's errno goes in
 * the control words, for the main thread to raise. It stops when the main thread cancels.
 */
import { ENOENT } from "./errors";
import { libbpf } from "./libbpf";
import { runProgram } from "./run-program";
import { CTRL, type ReadJob, type WalkJob } from "./split-read";

declare const self: Worker;

self.onmessage = (e: MessageEvent<ReadJob | WalkJob>) => (e.data.kind === "walk" ? walk(e.data) : run(e.data));

function walk(job: WalkJob): void {
  const ctrl = new Int32Array(job.ctrl);
  const rc = runProgram(job.programFd);
  Atomics.store(ctrl, 1, rc < 0 ? -rc : 0);
  Atomics.store(ctrl, 0, 1);
  Atomics.notify(ctrl, 0);
}

function run(job: ReadJob): void {
  const ctrl = new Int32Array(job.ctrl);
  // The main thread may have given up waiting and read this half itself.
  if (Atomics.compareExchange(ctrl, CTRL.claim, 0, 1) !== 0) return;
  const lib = libbpf();
  const slotKeys = job.batch * job.keySize;
  const slotValues = job.batch * job.stride;
  const data = new Uint8Array(job.data);
  const inToken = new Uint8Array(8);
  const outToken = new Uint8Array(8);
  const inView = new DataView(inToken.buffer);
  const outView = new DataView(outToken.buffer);
  const count = new Uint32Array(1);
  let token = job.from;
  for (let produced = 0; ; ) {
    // Wait for a free slot: the main thread counts the slots it has released.
    for (;;) {
      const consumed = Atomics.load(ctrl, CTRL.consumed);
      if (produced - consumed < job.slots || Atomics.load(ctrl, CTRL.cancel)) break;
      Atomics.wait(ctrl, CTRL.consumed, consumed, 1000);
    }
    if (Atomics.load(ctrl, CTRL.cancel)) break;
    const slot = produced % job.slots;
    const base = slot * (slotKeys + slotValues);
    inView.setUint32(0, token, true);
    count[0] = job.batch;
    const rc = lib.bpf_map_lookup_batch(job.fd, inToken, outToken, data.subarray(base, base + slotKeys), data.subarray(base + slotKeys, base + slotKeys + slotValues), count, null);
    if (rc < 0 && -rc !== ENOENT) {
      Atomics.store(ctrl, CTRL.errno, -rc);
      break;
    }
    const got = count[0]!;
    const out = outView.getUint32(0, true);
    if (got > 0) {
      const meta = CTRL.slots + slot * 3;
      ctrl[meta] = got;
      ctrl[meta + 1] = token;
      ctrl[meta + 2] = out;
      produced++;
      Atomics.store(ctrl, CTRL.produced, produced);
      Atomics.notify(ctrl, CTRL.produced);
    }
    if (rc < 0) break;
    token = out;
  }
  Atomics.store(ctrl, CTRL.done, 1);
  Atomics.notify(ctrl, CTRL.produced);
}
