import { libbpf } from "../bpf/libbpf";

const POLLIN = 1;
const CTRL_C = 3;

/**
 * typedInterrupt: a look for a Ctrl-C typed at the terminal while gms works without returning to
 * its event loop (a long map read is synchronous, batch after batch). readline turns Ctrl-C into
 * its SIGINT event, but it only reads the terminal when the event loop runs. The look reads what
 * was typed, without waiting (poll with no timeout, then read); a Ctrl-C calls `onInterrupt`,
 * and every other key goes back to readline, in the order typed, when the synchronous stretch
 * ends (type-ahead is kept). Undefined when `input` is not a terminal.
 */
export function typedInterrupt(input: NodeJS.ReadableStream, onInterrupt: () => void): (() => void) | undefined {
  const tty = input as NodeJS.ReadStream & { fd?: number };
  if (!tty.isTTY || typeof tty.fd !== "number") return undefined;
  const fd = tty.fd;
  // struct pollfd { int fd; short events; short revents; }
  const pollfd = new Int32Array(2);
  const shorts = new Int16Array(pollfd.buffer);
  const buf = new Uint8Array(256);
  let held: Uint8Array[] = [];
  // A microtask runs before any I/O callback: the keys are back before readline reads newer ones.
  const giveBack = () => {
    const keys = Buffer.concat(held);
    held = [];
    tty.unshift(keys);
  };
  return () => {
    const lib = libbpf();
    for (;;) {
      pollfd[0] = fd;
      shorts[2] = POLLIN;
      shorts[3] = 0;
      if (lib.poll(pollfd, 1, 0) <= 0 || !(shorts[3]! & POLLIN)) return;
      const n = Number(lib.read(fd, buf, buf.length));
      if (n <= 0) return;
      const got = buf.subarray(0, n);
      const at = got.indexOf(CTRL_C);
      const keys = at < 0 ? got.slice() : Uint8Array.of(...got.subarray(0, at), ...got.subarray(at + 1));
      if (keys.length) {
        if (!held.length) queueMicrotask(giveBack);
        held.push(keys);
      }
      if (at >= 0) onInterrupt();
    }
  };
}
