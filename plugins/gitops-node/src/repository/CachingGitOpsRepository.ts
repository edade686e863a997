import type { CacheService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { normalizeRepoPath } from '@epicshelter/plugin-gitops-common';
import { commitDetails, diffStat } from './commitDetails';
import { mapLimited } from './mapLimited';
import type { HostCommit, RepositoryHost } from './RepositoryHost';
import type {
  GitOpsChangedFiles,
  GitOpsCommitDetails,
  GitOpsFileStat,
  GitOpsRepository,
  GitOpsTreeEntry,
} from './types';

/** A full commit SHA (SHA-1 or SHA-256): what it names never changes. */
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** How many blobs one `readFiles` fetches at a time. */
const BLOB_CONCURRENCY = 8;

/** How long a tree or blob stays cached; it never changes, this only bounds memory. */
const CACHE_TTL = { hours: 6 };

function normalizePath(path: string | undefined): string {
  const normalized = normalizeRepoPath(path ?? '');
  if (normalized === undefined) {
    throw new InputError(
      `${JSON.stringify(
        path,
      )} is not a path inside the GitOps repository: use a relative path without '..' above the root`,
    );
  }
  return normalized;
}

function splitPath(path: string): [dir: string, name: string] {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? ['', path] : [path.slice(0, slash), path.slice(slash + 1)];
}

/**
 * A {@link GitOpsRepository} on top of one {@link RepositoryHost}: tree
 * listings read at a full commit SHA and blobs (by their id) are kept in the
 * cache service, so a second read of the same commit asks the host nothing.
 */
export class CachingGitOpsRepository implements GitOpsRepository {
  readonly kind: GitOpsRepository['kind'];
  readonly location: string;

  constructor(
    private readonly host: RepositoryHost,
    readonly defaultBranch: string,
    readonly branchPrefix: string,
    private readonly cache?: CacheService,
  ) {
    this.kind = host.kind;
    this.location = host.location;
  }

  private async cached<
    T extends
      | string
      | GitOpsTreeEntry[]
      | GitOpsChangedFiles
      | HostCommit
      | GitOpsFileStat[],
  >(key: string | undefined, read: () => Promise<T>): Promise<T> {
    if (!this.cache || key === undefined) return read();
    const fullKey = `gitops-repository:${this.location}:${key}`;
    const hit = (await this.cache.get(fullKey)) as T | undefined;
    if (hit !== undefined) return hit;
    const value = await read();
    await this.cache.set(fullKey, value as never, { ttl: CACHE_TTL });
    return value;
  }

  private listTree(commit: string, path: string, recursive: boolean) {
    return this.cached(
      FULL_SHA.test(commit)
        ? `tree:${commit}:${recursive ? 'r' : 'd'}:${path}`
        : undefined,
      async () =>
        (await this.host.listTree(commit, path, recursive)).sort((a, b) =>
          a.path < b.path ? -1 : Number(a.path > b.path),
        ),
    );
  }

  private readBlob(sha: string) {
    return this.cached(`blob:${sha}`, () => this.host.readBlob(sha));
  }

  async head(branch?: string) {
    const sha = await this.host.head(branch ?? this.defaultBranch);
    if (sha === undefined) return undefined;
    const url = this.host.commitUrl(sha);
    return url ? { sha, url } : { sha };
  }

  readTree(commit: string, path?: string): Promise<GitOpsTreeEntry[]> {
    return this.listTree(commit, normalizePath(path), true);
  }

  async readFile(commit: string, path: string): Promise<string | undefined> {
    const normalized = normalizePath(path);
    if (normalized === '') return undefined;
    const [dir, name] = splitPath(normalized);
    const entry = (await this.listTree(commit, dir, false)).find(
      e => e.path === name && e.type === 'blob',
    );
    return entry ? this.readBlob(entry.sha) : undefined;
  }

  async readFiles(
    commit: string,
    path?: string,
    filter: (path: string) => boolean = () => true,
  ): Promise<Record<string, string>> {
    const blobs = (await this.readTree(commit, path)).filter(
      e => e.type === 'blob' && filter(e.path),
    );
    const contents = await mapLimited(blobs, BLOB_CONCURRENCY, e =>
      this.readBlob(e.sha),
    );
    return Object.fromEntries(blobs.map((e, i) => [e.path, contents[i]]));
  }

  compare(base: string, revision: string) {
    return this.host.compare(base, revision);
  }

  firstCommit(path: string) {
    return this.host.firstCommit(this.defaultBranch, normalizePath(path));
  }

  findChange(branch: string) {
    return this.host.findChange(branch);
  }

  commitUrl(sha: string) {
    return this.host.commitUrl(sha);
  }

  history(path: string, options?: { ref?: string; limit?: number }) {
    const limit = Math.min(Math.max(1, options?.limit ?? 20), 100);
    return this.host.history(
      options?.ref ?? this.defaultBranch,
      normalizePath(path),
      limit,
    );
  }

  changedFiles(base: string, revision: string): Promise<GitOpsChangedFiles> {
    return this.cached(
      FULL_SHA.test(base) && FULL_SHA.test(revision)
        ? `changed:${base}:${revision}`
        : undefined,
      async () => {
        const changed = await this.host.changedFiles(base, revision);
        return {
          ...changed,
          files: [...changed.files].sort((a, b) =>
            a.path < b.path ? -1 : Number(a.path > b.path),
          ),
        };
      },
    );
  }

  async commit(ref: string): Promise<GitOpsCommitDetails> {
    const read = await this.cached(
      FULL_SHA.test(ref) ? `commit:${ref}` : undefined,
      () => this.host.readCommit(ref),
    );
    return commitDetails(read, this.host.commitUrl(read.sha));
  }

  async commitStat(ref: string): Promise<GitOpsFileStat[]> {
    const { sha, parents } = await this.commit(ref);
    return this.cached(`stat:${sha}`, () => diffStat(this, sha, parents[0]));
  }
}
