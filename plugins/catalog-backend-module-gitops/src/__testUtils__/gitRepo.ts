import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ConfigReader } from '@backstage/config';
import {
  DefaultGitOpsRepositoryService,
  GitOpsRepository,
} from '@epicshelter/plugin-gitops-node';
import {
  EnvironmentSpecInput,
  generateEnvironment,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';

/** Runs git in `cwd` (tests and benchmark only; the module reads through the GitOps repository service). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args],
    { cwd, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 },
  ).trim();
}

/** A real git repository in a temporary folder, with commit helpers. */
export class TestRepo {
  constructor(readonly dir: string) {}

  static init(dir: string, branch = 'main'): TestRepo {
    fs.mkdirSync(dir, { recursive: true });
    git(dir, 'init', '-q', '-b', branch);
    return new TestRepo(dir);
  }

  write(files: Record<string, string>): this {
    for (const [p, content] of Object.entries(files)) {
      const target = path.join(this.dir, p);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
    return this;
  }

  remove(p: string): this {
    fs.rmSync(path.join(this.dir, p), { recursive: true, force: true });
    return this;
  }

  commit(message: string): string {
    git(this.dir, 'add', '-A');
    git(this.dir, 'commit', '-q', '--allow-empty', '-m', message);
    return git(this.dir, 'rev-parse', 'HEAD');
  }
}

/** The generator's files of an environment (the real repository layout). */
export function environmentFiles(
  input: EnvironmentSpecInput,
): Record<string, string> {
  return generateEnvironment(parseEnvironmentSpec(input));
}

/** A local environment spec with one database, as the template creates it. */
export function localSpec(
  name: string,
  extra: Partial<EnvironmentSpecInput> = {},
): EnvironmentSpecInput {
  return {
    name,
    owner: 'group:default/checkout-team',
    target: 'local',
    provider: 'local',
    workloads: ['orders-api'],
    resources: { databases: [{ name: 'orders-db', engine: 'postgres' }] },
    ...extra,
  };
}

/** The local repository at `dir` as the GitOps repository service reads it. */
export function localRepository(
  dir: string,
  branch = 'main',
): GitOpsRepository {
  return DefaultGitOpsRepositoryService.fromConfig(
    new ConfigReader({ gitops: { repository: dir, defaultBranch: branch } }),
  ).configured()!;
}
