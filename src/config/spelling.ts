// "Did you mean ...?" for names a person types (settings, their values): one distance, one rule of nearness.

/**
 * Edits (insert, delete, replace one character, or swap two adjacent ones) between `a` and `b`:
 * the optimal-string-alignment form of the Damerau–Levenshtein distance, since a swap
 * (`PROT` for `PORT`) is as common a slip as a missing letter.
 */
export function editDistance(a: string, b: string): number {
  // rows[i][j] = distance between the first i characters of a and the first j of b.
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2][j - 2] + 1);
      rows[i][j] = best;
    }
  }
  return rows[a.length][b.length];
}

/**
 * The candidates nearest to `word` (all of them on a tie), if any is at most `within(candidate)`
 * edits away; `word` itself is never suggested.
 */
export function nearest(word: string, candidates: Iterable<string>, within: (candidate: string) => number): string[] {
  let best = Infinity;
  let found: string[] = [];
  for (const candidate of new Set(candidates)) {
    if (candidate === word) continue;
    const distance = editDistance(word, candidate);
    if (distance > within(candidate) || distance > best) continue;
    if (distance < best) found = [];
    best = distance;
    found.push(candidate);
  }
  return found.sort();
}

/** `did you mean A?` or `did you mean A or B?`; empty when there is nothing to suggest. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return "";
  const last = suggestions[suggestions.length - 1];
  return `did you mean ${suggestions.length === 1 ? last : `${suggestions.slice(0, -1).join(", ")} or ${last}`}?`;
}
