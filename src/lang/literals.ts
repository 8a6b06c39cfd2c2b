/** Literals: the meaning of literal token text: strings, numbers, durations, sizes, percentages. */

/** BadEscape: a backslash sequence a string may not hold, at `index` into the token text. */
export interface BadEscape {
  index: number;
  text: string;
}

/** DecodedString: a string token's value, and what is wrong with its text. */
export interface DecodedString {
  value: string;
  /** False when the closing quote is missing (the token runs to the end of the line). */
  closed: boolean;
  badEscapes: BadEscape[];
}

const escapes: Record<string, string> = { '"': '"', "\\": "\\", n: "\n", t: "\t" };

/** escapeList: the escapes a string may hold, for hints. */
export const escapeList = '\\" \\\\ \\n \\t';

/** decodeString: the value of a StringLit token's text, which starts with `"`. */
export function decodeString(image: string): DecodedString {
  let value = "";
  const badEscapes: BadEscape[] = [];
  let i = 1;
  while (i < image.length) {
    const c = image[i]!;
    if (c === '"') return { value, closed: true, badEscapes };
    if (c === "\\") {
      const next = image[i + 1];
      const decoded = next === undefined ? undefined : escapes[next];
      if (decoded === undefined) badEscapes.push({ index: i, text: image.slice(i, i + 2) });
      else value += decoded;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  return { value, closed: false, badEscapes };
}

/** nsPerUnit: the duration units, in nanoseconds, shortest first (`m` is a minute). */
export const nsPerUnit: Record<string, number> = {
  ns: 1,
  us: 1_000,
  ms: 1_000_000,
  s: 1_000_000_000,
  m: 60_000_000_000,
  h: 3_600_000_000_000,
};

/** bytesPerUnit: the size units, powers of 1024; `k` and `K` are both kibibytes. */
export const bytesPerUnit: Record<string, number> = {
  k: 1024,
  K: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
};

/** splitDuration: `500ms` -> amount "500", unit "ms" (a size splits the same way). */
export function splitDuration(text: string): { amount: string; unit: string } {
  const match = /^(\d+(?:\.\d+)?)(.*)$/.exec(text);
  return { amount: match?.[1] ?? "", unit: match?.[2] ?? "" };
}

/** durationMs: a duration's length in milliseconds; NaN when the unit is unknown. */
export function durationMs(text: string): number {
  const { amount, unit } = splitDuration(text);
  const ns = nsPerUnit[unit];
  return ns === undefined ? NaN : (Number(amount) * ns) / 1_000_000;
}

/** sizeBytes: `4k` -> 4096; NaN when the unit is unknown. May be fractional (`1.1k`). */
export function sizeBytes(text: string): number {
  const { amount, unit } = splitDuration(text);
  const bytes = bytesPerUnit[unit];
  return bytes === undefined ? NaN : Number(amount) * bytes;
}

/**
 * numberValue: a number literal's value as a double: decimal (`42`, `0.5`) or hex (`0x1f`);
 * NaN for a hex literal with no digits or a digit that is not hex (`0x`, `0x1g`).
 */
export function numberValue(text: string): number {
  if (/^0[xX]/.test(text)) return /^0[xX][0-9A-Fa-f]+$/.test(text) ? Number(text) : NaN;
  return Number(text);
}

/**
 * integerValue: a number literal as an exact integer, or undefined when it is not a whole
 * number written as one (`1.0` is not) or is a bad hex literal.
 */
export function integerValue(text: string): bigint | undefined {
  if (/^\d+$/.test(text) || /^0[xX][0-9A-Fa-f]+$/.test(text)) return BigInt(text);
  return undefined;
}

/** percentFraction: `1%` -> 0.01. */
export function percentFraction(text: string): number {
  return Number(text.slice(0, -1)) / 100;
}
