/**
 * editDistance: the Damerau-Levenshtein distance between two strings, the number of single
 * character insertions, deletions, substitutions and swaps of two neighbours that turn `a` into
 * `b`. This is the unrestricted form (Lowrance-Wagner), so a swapped pair may also be edited
 * further: `ca` -> `abc` is 2, where the simpler "optimal string alignment" gives 3.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 2;
  const cols = b.length + 2;
  const d = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j]!;
  const set = (i: number, j: number, v: number): void => {
    d[i * cols + j] = v;
  };
  const infinity = a.length + b.length;
  set(0, 0, infinity);
  for (let i = 0; i <= a.length; i++) {
    set(i + 1, 0, infinity);
    set(i + 1, 1, i);
  }
  for (let j = 0; j <= b.length; j++) {
    set(0, j + 1, infinity);
    set(1, j + 1, j);
  }
  // lastRowOf: for each character, the last row of `a` where it was seen.
  const lastRowOf = new Map<string, number>();
  for (let i = 1; i <= a.length; i++) {
    let lastMatchColumn = 0;
    for (let j = 1; j <= b.length; j++) {
      const k = lastRowOf.get(b[j - 1]!) ?? 0;
      const l = lastMatchColumn;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      if (cost === 0) lastMatchColumn = j;
      set(
        i + 1,
        j + 1,
        Math.min(
          at(i, j) + cost,
          at(i + 1, j) + 1,
          at(i, j + 1) + 1,
          at(k, l) + (i - k - 1) + 1 + (j - l - 1),
        ),
      );
    }
    lastRowOf.set(a[i - 1]!, i);
  }
  return at(a.length + 1, b.length + 1);
}

/**
 * defaultMaxDistance: how far a word may be from a candidate to be suggested: one edit for
 * words up to five letters, then one more for every three letters.
 */
export function defaultMaxDistance(word: string): number {
  return Math.max(1, Math.floor(word.length / 3));
}

/**
 * closest: the candidates nearest to `word`, for "did you mean" hints. Case is ignored when
 * measuring, so `SAMPLE` finds `sample`. A candidate is kept when it is at most `maxDistance`
 * edits away and the edits do not replace the whole of the shorter word (so `x` does not
 * suggest `y`); a candidate equal to `word` is never suggested. Returns every candidate at the
 * smallest distance, without repeats, in the order given; empty when none is close.
 */
export function closest(
  word: string,
  candidates: Iterable<string>,
  maxDistance: number = defaultMaxDistance(word),
): string[] {
  const lower = word.toLowerCase();
  let best = Infinity;
  let found: string[] = [];
  for (const candidate of new Set(candidates)) {
    if (candidate === word) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    const shorter = Math.min(word.length, candidate.length);
    const close = distance === 0 || (distance <= maxDistance && distance < shorter);
    if (!close) continue;
    if (distance < best) {
      best = distance;
      found = [candidate];
    } else if (distance === best) {
      found.push(candidate);
    }
  }
  return found;
}

/** didYouMean: the hint "did you mean 'x'?" (or "'x' or 'y'"), undefined when nothing is close. */
export function didYouMean(
  word: string,
  candidates: Iterable<string>,
  maxDistance?: number,
): string | undefined {
  const found = closest(word, candidates, maxDistance);
  if (found.length === 0) return undefined;
  return `did you mean ${orList(found.map((c) => `'${c}'`))}?`;
}

/** orList: "a", "a or b", "a, b or c". */
export function orList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}
