import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const AUTHOR = 'Ada Lovelace <ada@example.com>';

/** A throwaway git repository on `main` for tests (built with the git CLI). */
export class TestGitRepo {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-argocd-gitops-'));
  private clock = Date.parse('2026-03-02T09:00:00Z') / 1000;

  constructor() {
    this.git('init', '-q', '-b', 'main');
  }

  /** Runs git in the repository; returns its trimmed output. */
  git(...args: string[]): string {
    return this.run(args, {});
  }

  private run(args: string[], env: Record<string, string>): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_AUTHOR_NAME: 'CI',
        GIT_AUTHOR_EMAIL: 'ci@example.com',
        GIT_COMMITTER_NAME: 'CI',
        GIT_COMMITTER_EMAIL: 'ci@example.com',
        ...env,
      },
    }).trim();
  }

  /** Runs a committing git command as `author`, one hour after the previous commit. */
  private dated(args: string[], author: string): string {
    this.clock += 3600;
    const [, name, email] = /^(.*) <(.*)>$/.exec(author) ?? [];
    this.run(args, {
      GIT_AUTHOR_NAME: name,
      GIT_AUTHOR_EMAIL: email,
      GIT_AUTHOR_DATE: `${this.clock} +0000`,
      GIT_COMMITTER_DATE: `${this.clock} +0000`,
    });
    return this.git('rev-parse', 'HEAD');
  }

  /** Writes `files` and commits them on the current branch; returns the SHA. */
  commit(
    message: string,
    files: Record<string, string>,
    author = AUTHOR,
  ): string {
    for (const [p, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(this.dir, p)), { recursive: true });
      fs.writeFileSync(path.join(this.dir, p), content);
    }
    this.git('add', '-A');
    return this.dated(['commit', '-q', '-m', message], author);
  }

  /** Merges `branch` into the current branch with a merge commit; returns its SHA. */
  merge(branch: string, message: string, author = AUTHOR): string {
    return this.dated(
      ['merge', '-q', '--no-ff', '-m', message, branch],
      author,
    );
  }

  /** ISO time (no milliseconds) of the author date of `sha`. */
  authorDate(sha: string): string {
    return new Date(Number(this.git('log', '-1', '--format=%at', sha)) * 1000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  remove() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
