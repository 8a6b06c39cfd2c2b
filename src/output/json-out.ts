import { jsonValue } from "./json";
import type { Cell } from "./result-set";

const encoder = new TextEncoder();
const TWO_POW_32 = 0x100000000;
/** The ASCII digits of 00..99, two bytes each. */
const PAIRS = new Uint8Array(200).map((_, i) => 48 + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));

/**
 * JsonOut: JSON text written as bytes into a buffer that goes to `sink` each time it fills, so a
 * full dump of a large map streams out in bounded memory. The sink must use the bytes before it
 * returns: the buffer is written over next. Rows of plain columns are written straight from a
 * batch's bytes (by src/sources/plain-json.ts, through `buf`, `n` and `room` and the number
 * writers below), with exactly the text jsonValue gives for the decoded cells.
 */
export class JsonOut {
  /** The buffer and the bytes used in it: RowEncoders write here directly, after `room`. */
  buf: Uint8Array;
  n = 0;

  constructor(
    private readonly sink: (bytes: Uint8Array) => void,
    size = 1 << 20,
  ) {
    this.buf = new Uint8Array(size);
  }

  /** room: at least `k` free bytes at `n`; the buffer goes to the sink first when they would not fit. */
  room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    this.flush();
    if (k > this.buf.length) this.buf = new Uint8Array(k);
  }

  /** flush: hands what is buffered to the sink. */
  flush(): void {
    if (this.n === 0) return;
    this.sink(this.buf.subarray(0, this.n));
    this.n = 0;
  }

  /** text: any string, UTF-8 encoded (punctuation, keys, cells as jsonValue writes them). */
  text(s: string): void {
    this.room(s.length * 3);
    this.n += encoder.encodeInto(s, this.buf.subarray(this.n)).written;
  }

  /** ascii: a short string of ASCII (punctuation between rows), without an encoder call. */
  ascii(s: string): void {
    if (this.n + s.length > this.buf.length) this.room(s.length);
    this.n = ascii(this.buf, this.n, s);
  }

  /** cell: a decoded value, as jsonValue writes it. */
  cell(v: Cell): void {
    this.text(jsonValue(v));
  }
}

/** uint: the digits of a non-negative integer below 2^53 at `b[n]`; returns the new end. */
export function uint(b: Uint8Array, n: number, x: number): number {
  if (x < 0x80000000) return small(b, n, x | 0);
  // Above 2^31: the part above 10^9, then nine digits, so every step stays in int32.
  const hi = Math.floor(x / 1e9);
  let y = (x - hi * 1e9) | 0;
  let i = small(b, n, hi) + 9;
  const end = i;
  for (let k = 0; k < 4; k++) {
    const q = (y * 0.01) | 0;
    const r = (y - q * 100) << 1;
    b[--i] = PAIRS[r + 1]!;
    b[--i] = PAIRS[r]!;
    y = q;
  }
  b[--i] = 48 + y;
  return end;
}

/**
 * small: the digits of a non-negative int32, two a step. `(y * 0.01) | 0` is y / 100 rounded
 * down exactly below 2^31: the double 0.01 is a little above 1/100, never enough to reach the
 * next integer, and a multiplication is far cheaper than a division.
 */
function small(b: Uint8Array, n: number, y: number): number {
  let i = n + digits32(y);
  const end = i;
  while (y >= 100) {
    const q = (y * 0.01) | 0;
    const r = (y - q * 100) << 1;
    b[--i] = PAIRS[r + 1]!;
    b[--i] = PAIRS[r]!;
    y = q;
  }
  if (y >= 10) {
    const r = y << 1;
    b[--i] = PAIRS[r + 1]!;
    b[--i] = PAIRS[r]!;
  } else b[--i] = 48 + y;
  return end;
}

/** int: an integer of magnitude below 2^53. */
export function int(b: Uint8Array, n: number, x: number): number {
  if (x >= 0) return uint(b, n, x);
  b[n] = 0x2d;
  return uint(b, n + 1, -x);
}

/** ascii: a string of printable ASCII (digits of a bigint) at `b[n]`. */
function ascii(b: Uint8Array, n: number, s: string): number {
  for (let i = 0; i < s.length; i++) b[n++] = s.charCodeAt(i);
  return n;
}

/** u64: the unsigned 64-bit integer hi * 2^32 + lo: a number below 2^53, a string of digits from there on. */
export function u64(b: Uint8Array, n: number, lo: number, hi: number): number {
  if (hi < 0x200000) return uint(b, n, hi * TWO_POW_32 + lo);
  return ascii(b, n, `"${(BigInt(hi) << 32n) | BigInt(lo)}"`);
}

/** s64: the signed 64-bit integer hi * 2^32 + lo (hi signed), a string beyond 2^53 either way. */
export function s64(b: Uint8Array, n: number, lo: number, hi: number): number {
  if (hi >= -0x200000 && hi < 0x200000) return int(b, n, hi * TWO_POW_32 + lo);
  return ascii(b, n, `"${(BigInt(hi) << 32n) + BigInt(lo)}"`);
}

/**
 * chars: a C string of at most `length` bytes at `src[at]` as a JSON string, when every byte
 * before the NUL is printable ASCII other than `"` and `\`; -1 when one needs an escape.
 */
export function chars(b: Uint8Array, n: number, src: Uint8Array, at: number, length: number): number {
  const last = at + length;
  b[n++] = 0x22;
  for (let i = at; i < last; i++) {
    const c = src[i]!;
    if (c === 0) break;
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return -1;
    b[n++] = c;
  }
  b[n++] = 0x22;
  return n;
}

/** digits32: the number of decimal digits of a u32. */
function digits32(y: number): number {
  if (y < 100000) return y < 10 ? 1 : y < 100 ? 2 : y < 1000 ? 3 : y < 10000 ? 4 : 5;
  return y < 1000000 ? 6 : y < 10000000 ? 7 : y < 100000000 ? 8 : y < 1000000000 ? 9 : 10;
}
