/** Literals: the meaning of literal token text (strings, durations, percentages). */

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

/** usPerUnit: the duration units, in microseconds. */
export const usPerUnit: Record<string, number> = { us: 1, ms: 1_000, s: 1_000_000, m: 60_000_000 };

/** splitDuration: `500ms` -> amount "500", unit "ms". */
export function splitDuration(text: string): { amount: string; unit: string } {
  const match = /^(\d+(?:\.\d+)?)(.*)$/.exec(text);
  return { amount: match?.[1] ?? "", unit: match?.[2] ?? "" };
}

/** durationMs: a duration's length in milliseconds; NaN when the unit is unknown. */
export function durationMs(text: string): number {
  const { amount, unit } = splitDuration(text);
  const us = usPerUnit[unit];
  return us === undefined ? NaN : (Number(amount) * us) / 1_000;
}

/** percentFraction: `1%` -> 0.01. */
export function percentFraction(text: string): number {
  return Number(text.slice(0, -1)) / 100;
}
