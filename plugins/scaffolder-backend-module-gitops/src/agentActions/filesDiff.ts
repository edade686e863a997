import { createTwoFilesPatch } from 'diff';

const patch = (
  from: string,
  to: string,
  before: string,
  after: string,
): string =>
  createTwoFilesPatch(from, to, before, after, '', '', { context: 3 })
    .replace(/^=+\n/, '')
    .replace(/^(---|\+\+\+) (.*)\t$/gm, '$1 $2');

/**
 * A unified diff of a change against the repository's current content: a
 * new file is diffed against /dev/null, a deleted one to /dev/null, an
 * unchanged one is left out.
 */
export function filesDiff(
  repo: Record<string, string>,
  files: ReadonlyArray<{ path: string; content: string }>,
  deletions: ReadonlyArray<string> = [],
): string {
  return [
    ...files
      .filter(f => repo[f.path] !== f.content)
      .map(f => {
        const before = repo[f.path];
        return patch(
          before === undefined ? '/dev/null' : `a/${f.path}`,
          `b/${f.path}`,
          before ?? '',
          f.content,
        );
      }),
    ...deletions
      .filter(p => repo[p] !== undefined)
      .map(p => patch(`a/${p}`, '/dev/null', repo[p], '')),
  ].join('');
}
