/**
 * Nearest-rank percentile of ascending-sorted samples (p in 0..100).
 * Throws on an empty sample: a benchmark without samples measured nothing.
 */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    throw new Error('percentile of an empty sample; did the benchmark run?');
  }
  if (!(p >= 0 && p <= 100)) {
    throw new Error(`percentile must be between 0 and 100, got ${p}`);
  }
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/** Renders rows as an aligned text table: first column left, the others right. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, c) =>
    Math.max(...rows.map(row => (row[c] ?? '').length)),
  );
  return rows
    .map(row =>
      row
        .map((cell, c) =>
          c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Formats a number with thousands separators and at most one decimal. */
export function formatNumber(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}
