import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

/** Runs git in a directory (tests only; the module itself uses isomorphic-git). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

/** Creates a git repository at `dir` holding `files` in one commit on main. */
export function seedRepository(dir: string, files: Record<string, string>) {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  for (const [p, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), content);
  }
  git(dir, 'add', '-A');
  git(
    dir,
    '-c',
    'user.name=seed',
    '-c',
    'user.email=seed@example.com',
    'commit',
    '-qm',
    'seed',
  );
}

/** git status, refs and log: equal snapshots mean the repository is unchanged. */
export function repositorySnapshot(dir: string) {
  return {
    status: git(dir, 'status', '--porcelain'),
    refs: git(dir, 'for-each-ref', '--format=%(refname) %(objectname)'),
    log: git(dir, 'log', '--all', '--oneline'),
  };
}

/** Edits a committed file of `dir` by hand (as `x`) and commits it on the current branch. */
export function handEdit(
  dir: string,
  file: string,
  edit: (content: string) => string,
) {
  const target = path.join(dir, file);
  fs.writeFileSync(target, edit(fs.readFileSync(target, 'utf8')));
  git(dir, 'commit', '-qam', 'hand edit', '--author', 'x <x@example.com>');
}
