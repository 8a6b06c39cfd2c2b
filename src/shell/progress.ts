import type { ProgressTracker } from "../exec/executor";

/** After this long a read shows its progress; it is redrawn at most this often. */
const PROGRESS_AFTER_MS = 500;
const PROGRESS_EVERY_MS = 100;

/**
 * progressLine: a read's progress on one line of a terminal (`map big: 412,000 of 1,000,000
 * entries · 0.6 s`), drawn only once the read has taken half a second, redrawn in place, and
 * erased when it is done.
 */
export function progressLine(what: string, write: (text: string) => void, now = () => performance.now()): ProgressTracker {
  const started = now();
  let drawn = 0;
  return {
    update(entries, max, unit = "entries") {
      const t = now();
      if (t - started < PROGRESS_AFTER_MS || t - drawn < PROGRESS_EVERY_MS) return;
      drawn = t;
      const count = Number.isFinite(max) ? `${entries.toLocaleString("en")} of ${max.toLocaleString("en")} ${unit}` : `${entries.toLocaleString("en")} ${unit}`;
      write(`\r\x1b[K${what}: ${count} · ${((t - started) / 1000).toFixed(1)} s`);
    },
    done() {
      if (drawn) write("\r\x1b[K");
    },
  };
}
