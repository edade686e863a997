import fs from 'node:fs';
import nodePath from 'node:path';
import git from 'isomorphic-git';
import { InputError, NotFoundError, isError } from '@backstage/errors';
import type { HostCommit, RepositoryHost } from './RepositoryHost';
import type {
  GitOpsChange,
  GitOpsChangedFile,
  GitOpsChangedFiles,
  GitOpsCommitCounts,
  GitOpsCommitInfo,
  GitOpsHistoryCommit,
  GitOpsTreeEntry,
} from './types';

const SHA = /^[0-9a-f]{7,64}$/i;

function isNotFound(e: unknown): boolean {
  return isError(e) && e.name === 'NotFoundError';
}

/**
 * A git repository on the backend's machine, read with isomorphic-git (no
 * git binary needed). Only committed content is read, never the working
 * tree. Each call uses a fresh isomorphic-git pack cache, so a repack
 * (`git gc`) between calls never leaves stale pack data behind.
 */
export class LocalRepositoryHost implements RepositoryHost {
  readonly kind = 'local' as const;

  constructor(
    readonly location: string,
    /** Commits a history walk visits at most, per side of a comparison. */
    private readonly maxDepth = 5000,
  ) {}

  private get dir() {
    return this.location;
  }

  /**
   * How messages name the repository: its folder's name, never its path on
   * the server (messages reach the portal's pages).
   */
  private get name() {
    return nodePath.basename(nodePath.resolve(this.location));
  }

  private exists(): boolean {
    const dir = this.dir;
    if (!fs.existsSync(dir)) return false;
    if (!fs.existsSync(`${dir}/.git`) && !fs.existsSync(`${dir}/HEAD`)) {
      throw new InputError(
        `GitOps repository ${this.name} is not a git repository (no .git); point gitops.repository at a repository`,
      );
    }
    return true;
  }

  async head(branch: string): Promise<string | undefined> {
    if (!this.exists()) return undefined;
    const branches = await git.listBranches({ fs, dir: this.dir });
    // A repository without any commit declares nothing yet.
    if (branches.length === 0) return undefined;
    return this.resolve(`refs/heads/${branch}`);
  }

  async resolve(ref: string): Promise<string> {
    const dir = this.dir;
    if (!this.exists()) {
      throw new NotFoundError(
        `GitOps repository ${this.name} does not exist yet; it is created when the first environment is published`,
      );
    }
    try {
      if (SHA.test(ref)) {
        return await git.expandOid({ fs, dir, oid: ref, cache: {} });
      }
      return await git.resolveRef({ fs, dir, ref });
    } catch (e) {
      if (!isNotFound(e)) throw e;
      throw new NotFoundError(
        SHA.test(ref)
          ? `Commit ${ref} is not in the GitOps repository ${this.name}: Argo CD deploys from another repository, or from history this copy does not have`
          : `${ref} does not exist in the GitOps repository ${this.name}`,
      );
    }
  }

  async listTree(
    commit: string,
    path: string,
    recursive: boolean,
  ): Promise<GitOpsTreeEntry[]> {
    const cache = {};
    const dir = this.dir;
    const read = async (oid: string, filepath?: string) => {
      try {
        return (await git.readTree({ fs, dir, oid, filepath, cache })).tree;
      } catch (e) {
        if (isNotFound(e) && filepath !== undefined) return [];
        throw e;
      }
    };
    const out: GitOpsTreeEntry[] = [];
    const walk = async (
      entries: Awaited<ReturnType<typeof read>>,
      prefix: string,
    ) => {
      for (const e of entries) {
        if (e.type !== 'blob' && e.type !== 'tree') continue; // submodules
        const entryPath = `${prefix}${e.path}`;
        out.push({ path: entryPath, type: e.type, sha: e.oid });
        if (recursive && e.type === 'tree') {
          await walk(await read(e.oid), `${entryPath}/`);
        }
      }
    };
    await walk(await read(commit, path || undefined), '');
    return out;
  }

  async readBlob(sha: string): Promise<string> {
    const { blob } = await git.readBlob({
      fs,
      dir: this.dir,
      oid: sha,
      cache: {},
    });
    return Buffer.from(blob).toString('utf8');
  }

  private async ancestors(oid: string, cache: object): Promise<Set<string>> {
    const log = await git.log({
      fs,
      dir: this.dir,
      ref: oid,
      depth: this.maxDepth,
      cache,
    });
    return new Set(log.map(c => c.oid));
  }

  async compare(base: string, revision: string): Promise<GitOpsCommitCounts> {
    const [b, r] = await Promise.all([
      this.resolve(base),
      this.resolve(revision),
    ]);
    if (b === r) return { aheadBy: 0, behindBy: 0 };
    const cache = {};
    const [inBase, inRevision] = await Promise.all([
      this.ancestors(b, cache),
      this.ancestors(r, cache),
    ]);
    let aheadBy = 0;
    for (const c of inRevision) if (!inBase.has(c)) aheadBy++;
    let behindBy = 0;
    for (const c of inBase) if (!inRevision.has(c)) behindBy++;
    return { aheadBy, behindBy };
  }

  /** Commits reachable from `ref` that touched `path`, newest first (at most `depth`); empty when the path never existed. */
  private async pathLog(ref: string, path: string, depth?: number) {
    const head = await this.resolve(ref);
    try {
      return await git.log({
        fs,
        dir: this.dir,
        ref: head,
        filepath: path,
        ...(depth ? { depth } : {}),
        cache: {},
      });
    } catch (e) {
      if (isNotFound(e)) return [];
      throw e;
    }
  }

  async firstCommit(
    ref: string,
    path: string,
  ): Promise<GitOpsCommitInfo | undefined> {
    const log = await this.pathLog(ref, path);
    const first = log[log.length - 1];
    if (!first) return undefined;
    return {
      sha: first.oid,
      at: new Date(first.commit.committer.timestamp * 1000).toISOString(),
      message: first.commit.message.split('\n')[0],
    };
  }

  async findChange(branch: string): Promise<GitOpsChange | undefined> {
    let sha: string;
    try {
      sha = await this.resolve(branch);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    const { commit } = await git.readCommit({
      fs,
      dir: this.dir,
      oid: sha,
      cache: {},
    });
    return {
      kind: 'branch',
      branch,
      sha,
      at: new Date(commit.committer.timestamp * 1000).toISOString(),
    };
  }

  commitUrl(): string | undefined {
    return undefined;
  }

  async history(
    ref: string,
    path: string,
    limit: number,
  ): Promise<GitOpsHistoryCommit[]> {
    const log = await this.pathLog(ref, path, limit);
    return log.slice(0, limit).map(c => ({
      sha: c.oid,
      at: new Date(c.commit.committer.timestamp * 1000).toISOString(),
      message: c.commit.message.split('\n')[0],
      fullMessage: c.commit.message,
    }));
  }

  async changedFiles(
    base: string,
    revision: string,
  ): Promise<GitOpsChangedFiles> {
    const [b, r] = await Promise.all([
      this.resolve(base),
      this.resolve(revision),
    ]);
    const cache = {};
    const dir = this.dir;
    const [mergeBase] = await git.findMergeBase({
      fs,
      dir,
      oids: [b, r],
      cache,
    });
    if (!mergeBase) {
      throw new NotFoundError(
        `${revision} shares no history with ${base} in the GitOps repository ${this.name}`,
      );
    }
    const files: GitOpsChangedFile[] = await git.walk({
      fs,
      dir,
      cache,
      trees: [git.TREE({ ref: mergeBase }), git.TREE({ ref: r })],
      map: async (path, [before, after]) => {
        const [typeBefore, typeAfter, oidBefore, oidAfter] = await Promise.all([
          before?.type(),
          after?.type(),
          before?.oid(),
          after?.oid(),
        ]);
        // The same tree or blob on both sides: nothing below it changed.
        if (oidBefore === oidAfter) return null;
        if (path === '.') return undefined;
        const blobBefore = typeBefore === 'blob';
        const blobAfter = typeAfter === 'blob';
        if (!blobBefore && !blobAfter) return undefined; // a folder: descend
        if (blobBefore && blobAfter) return { path, status: 'modified' };
        return { path, status: blobAfter ? 'added' : 'removed' };
      },
    });
    return { mergeBase, files: files ?? [] };
  }

  async readCommit(ref: string): Promise<HostCommit> {
    const sha = await this.resolve(ref);
    const { commit } = await git.readCommit({
      fs,
      dir: this.dir,
      oid: sha,
      cache: {},
    });
    const person = (p: typeof commit.author) => ({
      name: p.name,
      email: p.email,
      date: new Date(p.timestamp * 1000).toISOString(),
    });
    return {
      sha,
      message: commit.message,
      author: person(commit.author),
      committer: person(commit.committer),
      parents: commit.parent,
    };
  }
}
