/**
 * Lines added and removed between two texts, counted as `git diff --numstat`
 * does for changes that move no lines: each line's occurrences before and
 * after are compared.
 */
export function lineChanges(
  before: string,
  after: string,
): { additions: number; deletions: number } {
  const count = (text: string) => {
    const counts = new Map<string, number>();
    if (!text) return counts;
    for (const line of text.replace(/\n$/, '').split('\n')) {
      counts.set(line, (counts.get(line) ?? 0) + 1);
    }
    return counts;
  };
  const a = count(before);
  const b = count(after);
  let additions = 0;
  let deletions = 0;
  for (const [line, n] of b) additions += Math.max(0, n - (a.get(line) ?? 0));
  for (const [line, n] of a) deletions += Math.max(0, n - (b.get(line) ?? 0));
  return { additions, deletions };
}

/** Whether a file's text is binary: git's test, a NUL among the first 8000 bytes. */
export function isBinaryText(text: string): boolean {
  return text.slice(0, 8000).includes('\0');
}
