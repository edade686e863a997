import { createTwoFilesPatch } from 'diff';

/**
 * A unified diff of `files` against the repository's current content: a
 * new file is diffed against /dev/null, an unchanged one is left out.
 */
export function filesDiff(
  repo: Record<string, string>,
  files: ReadonlyArray<{ path: string; content: string }>,
): string {
  return files
    .filter(f => repo[f.path] !== f.content)
    .map(f => {
      const before = repo[f.path];
      return createTwoFilesPatch(
        before === undefined ? '/dev/null' : `a/${f.path}`,
        `b/${f.path}`,
        before ?? '',
        f.content,
        '',
        '',
        { context: 3 },
      )
        .replace(/^=+\n/, '')
        .replace(/^(---|\+\+\+) (.*)\t$/gm, '$1 $2');
    })
    .join('');
}
