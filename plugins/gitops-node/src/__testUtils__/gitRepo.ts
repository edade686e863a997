import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

/** A real git repository in a temporary folder, written with the git binary. */
export class TestGitRepo {
  readonly dir: string;

  constructor(branch = 'main') {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-repository-'));
    this.git('init', '-q', '-b', branch);
  }

  git(...args: string[]): string {
    return this.gitWith({}, ...args);
  }

  private gitWith(env: Record<string, string>, ...args: string[]): string {
    return execFileSync(
      'git',
      ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args],
      { cwd: this.dir, encoding: 'utf8', env: { ...process.env, ...env } },
    ).trim();
  }

  /**
   * Writes (or with `null` deletes) files and commits them as Test (the
   * committer), by `author` when given, at `date` (author and committer
   * date) or `authorDate` when given; returns the commit SHA.
   */
  commit(
    files: Record<string, string | Buffer | null>,
    message: string,
    options: { author?: string; authorDate?: string; date?: string } = {},
  ): string {
    for (const [file, content] of Object.entries(files)) {
      const target = path.join(this.dir, file);
      if (content === null) {
        fs.rmSync(target);
      } else {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
      }
    }
    this.git('add', '-A');
    this.gitWith(
      options.date
        ? { GIT_AUTHOR_DATE: options.date, GIT_COMMITTER_DATE: options.date }
        : {},
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      message,
      ...(options.author ? [`--author=${options.author}`] : []),
      ...(options.authorDate ? [`--date=${options.authorDate}`] : []),
    );
    return this.git('rev-parse', 'HEAD');
  }

  remove() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
