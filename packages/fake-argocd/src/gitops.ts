import fs from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import git from 'isomorphic-git';
import {
  ENVIRONMENT_LABEL,
  type ArgoCdRevisionMetadata,
} from '@epicshelter/plugin-argocd-common';
import { AppDeployment, AppSpec, historyLengthFor } from './data';

/** One commit on the first-parent line of the GitOps branch. */
export interface GitOpsCommit {
  sha: string;
  /** Position on the branch: 0 for the root commit. */
  index: number;
  /** Committer time, ms since the epoch. */
  committedAt: number;
}

/**
 * How many commits behind the branch head an environment's applications
 * are: `dev` follows the head (automated sync), `staging` trails it by one,
 * any other environment by two (never past the root commit).
 */
export function environmentLag(environment: string | undefined): number {
  if (environment === 'dev') return 0;
  if (environment === 'staging') return 1;
  return 2;
}

const iso = (ms: number) =>
  new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The deployments of one application, oldest first, given the branch's
 * commits newest first: it is at the commit its environment's lag puts it
 * on, and its history holds the commits before that (as many as
 * {@link historyLengthFor} keeps). Each deployment started 30 s after the
 * commit and took 40 s, or, for a commit younger than that, ran from the
 * commit until `now` (never in the future).
 */
export function deploymentsFor(
  spec: AppSpec,
  commits: GitOpsCommit[],
  now = Date.now(),
): AppDeployment[] {
  if (commits.length === 0) {
    throw new Error('The GitOps branch has no commit');
  }
  const lag = Math.min(
    environmentLag(spec.labels[ENVIRONMENT_LABEL]),
    commits.length - 1,
  );
  return commits
    .slice(lag, lag + historyLengthFor(spec.name))
    .reverse()
    .map(c => {
      const started = Math.min(
        c.committedAt + 30_000,
        Math.max(c.committedAt, now - 40_000),
      );
      return {
        id: c.index,
        revision: c.sha,
        deployStartedAt: iso(started),
        deployedAt: iso(Math.min(started + 40_000, Math.max(started, now))),
      };
    });
}

/**
 * A local git repository whose branch the fake applications deploy from,
 * read with isomorphic-git (as the portal's own GitOps modules read it).
 */
export class GitOpsRepository {
  /**
   * The applications' `repoURL`: the repository's `file://` URL unless
   * another was given (e.g. `local:gitops-repository`, so that no path of
   * the machine reaches the portal's pages).
   */
  readonly repoURL: string;
  private readonly cache = {};
  private head: string | undefined;
  private current: GitOpsCommit[] = [];
  private pending: Promise<boolean> | undefined;

  private constructor(
    readonly dir: string,
    readonly branch: string,
    repoURL?: string,
  ) {
    this.repoURL = repoURL ?? pathToFileURL(dir).href;
  }

  /** Opens `dir` and reads the commits of `branch`; fails when either is missing. */
  static async open(
    dir: string,
    branch = 'main',
    repoURL?: string,
  ): Promise<GitOpsRepository> {
    const repo = new GitOpsRepository(resolvePath(dir), branch, repoURL);
    await repo.refresh();
    return repo;
  }

  /** Commits of the branch's first-parent line, newest first. */
  get commits(): GitOpsCommit[] {
    return this.current;
  }

  /**
   * Re-reads the branch head; when it moved, re-reads the commits. Resolves
   * to whether they changed. Concurrent calls share one read.
   */
  refresh(): Promise<boolean> {
    if (!this.pending) {
      this.pending = this.read().finally(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }

  private async read(): Promise<boolean> {
    let head: string;
    try {
      head = await git.resolveRef({
        fs,
        dir: this.dir,
        ref: `refs/heads/${this.branch}`,
      });
    } catch (e) {
      throw new Error(
        `Cannot read branch ${this.branch} of the GitOps repository ${
          this.dir
        }: ${
          (e as Error).message
        }. Create it first (scripts/seed-gitops.sh DIR).`,
      );
    }
    if (head === this.head) return false;
    const line: Array<{ sha: string; committedAt: number }> = [];
    for (let oid: string | undefined = head; oid; ) {
      const { commit } = await git.readCommit({
        fs,
        dir: this.dir,
        oid,
        cache: this.cache,
      });
      line.push({ sha: oid, committedAt: commit.committer.timestamp * 1000 });
      oid = commit.parent[0];
    }
    this.current = line.map((c, i) => ({ ...c, index: line.length - 1 - i }));
    this.head = head;
    return true;
  }

  /**
   * What Argo CD's repo server answers for a revision: author, date and
   * message of the commit, and the tags pointing at it; undefined when the
   * revision is not a commit of the repository.
   */
  async revisionMetadata(
    revision: string,
  ): Promise<ArgoCdRevisionMetadata | undefined> {
    if (!/^[0-9a-f]{4,40}$/.test(revision)) return undefined;
    let oid: string;
    let commit;
    try {
      oid = await git.expandOid({
        fs,
        dir: this.dir,
        oid: revision,
        cache: this.cache,
      });
      ({ commit } = await git.readCommit({
        fs,
        dir: this.dir,
        oid,
        cache: this.cache,
      }));
    } catch {
      return undefined;
    }
    const tags: string[] = [];
    for (const tag of await git.listTags({ fs, dir: this.dir })) {
      let target = await git.resolveRef({
        fs,
        dir: this.dir,
        ref: `refs/tags/${tag}`,
      });
      const { type } = await git.readObject({
        fs,
        dir: this.dir,
        oid: target,
        format: 'content',
        cache: this.cache,
      });
      if (type === 'tag') {
        target = (
          await git.readTag({
            fs,
            dir: this.dir,
            oid: target,
            cache: this.cache,
          })
        ).tag.object;
      }
      if (target === oid) tags.push(tag);
    }
    return {
      author: `${commit.author.name} <${commit.author.email}>`,
      date: iso(commit.author.timestamp * 1000),
      message: commit.message.trimEnd(),
      tags,
    };
  }
}
