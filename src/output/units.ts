/**
 * Human units for table cells. Tables only: JSON and CSV always carry the exact value.
 *
 * - groupDigits: thousands separators, `1234567` -> `1,234,567`.
 * - formatDuration: nanoseconds in ns, us, ms or s with three significant digits (`1.23 ms`,
 *   `12.3 ms`, `123 ms`); whole nanoseconds below 1 us stay exact (`999 ns`). The figure is kept
 *   under 1000 by moving to the next unit once rounding reaches it (999.7 us is `1.00 ms`), so a
 *   column's figures are at most four characters wide. Seconds are the largest unit: from
 *   1000 s on they are whole seconds with separators (`86,400 s`). `us` rather than `µs`: it is
 *   ASCII, one column wide in every terminal, and what the language's literals use (`10us`).
 * - formatBytes: bytes in B, KiB, MiB, GiB, TiB, PiB, EiB (powers of 1024) with three
 *   significant digits (`1.21 KiB`, `12.1 MiB`, `121 GiB`); whole byte counts below 1000 stay
 *   exact (`512 B`), and a figure that would reach 1000 moves to the next unit (`0.98 KiB`).
 */

/** groupDigits: an integer's decimal text with a comma every three digits (`-1,234`). */
export function groupDigits(digits: string): string {
  const neg = digits.charCodeAt(0) === 45; // "-"
  const d = neg ? digits.slice(1) : digits;
  if (d.length <= 3) return digits;
  const head = d.length % 3 || 3;
  let out = d.slice(0, head);
  for (let i = head; i < d.length; i += 3) out += "," + d.slice(i, i + 3);
  return neg ? "-" + out : out;
}

/** threeDigits: a figure in [0, 1000) with three significant digits, trailing zeros kept. */
function threeDigits(x: number): string {
  return x >= 99.95 ? x.toFixed(0) : x >= 9.995 ? x.toFixed(1) : x.toFixed(2);
}

/**
 * scaled: `a` (not negative) in the largest unit it reaches, as `figure unit`; the unit steps
 * up once the rounded figure would reach 1000.
 */
function scaled(a: number, base: number, units: readonly string[]): string {
  let k = 0;
  let x = a;
  while (k < units.length - 1 && x >= base) {
    x /= base;
    k++;
  }
  // toFixed(0) rounds 999.5 up to 1000.
  if (x >= 999.5 && k < units.length - 1) {
    x /= base;
    k++;
  }
  return `${threeDigits(x)} ${units[k]}`;
}

const TIME_UNITS = ["us", "ms", "s"] as const;
const BYTE_UNITS = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"] as const;

/** formatDuration: a count of nanoseconds in human units (see the top of this file). */
export function formatDuration(ns: number | bigint): string {
  const v = Number(ns);
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "null" : v > 0 ? "inf" : "-inf";
  const sign = v < 0 ? "-" : "";
  const a = Math.abs(v);
  if (a < 1000) {
    if (Number.isInteger(a)) return `${sign}${a} ns`;
    if (a < 999.5) return `${sign}${threeDigits(a)} ns`;
  }
  if (a >= 999.5e9) return `${sign}${groupDigits(Math.round(a / 1e9).toFixed(0))} s`;
  return sign + scaled(a / 1000, 1000, TIME_UNITS);
}

/** formatBytes: a count of bytes in binary human units (see the top of this file). */
export function formatBytes(bytes: number | bigint): string {
  const v = Number(bytes);
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "null" : v > 0 ? "inf" : "-inf";
  const sign = v < 0 ? "-" : "";
  const a = Math.abs(v);
  if (a < 1000) {
    if (Number.isInteger(a)) return `${sign}${a} B`;
    if (a < 999.5) return `${sign}${threeDigits(a)} B`;
  }
  return sign + scaled(a / 1024, 1024, BYTE_UNITS);
}
