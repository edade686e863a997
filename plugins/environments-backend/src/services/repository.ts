import fs from 'node:fs';
import git from 'isomorphic-git';
import type { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { NotFoundError, ResponseError, isError } from '@backstage/errors';
import { readGitOpsConfig } from '@epicshelter/plugin-gitops-node';
import type {
  LifecycleChange,
  LifecycleCommit,
} from '@epicshelter/plugin-environments-common';

/** Commit counts of a revision relative to a base. @public */
export interface CommitCounts {
  /** Commits in `revision` that `base` lacks. */
  aheadBy: number;
  /** Commits in `base` that `revision` lacks. */
  behindBy: number;
}

/** The Git questions the environments backend asks of the GitOps repository. @public */
export interface GitOpsRepositoryReader {
  readonly kind: 'local' | 'github';
  readonly defaultBranch: string;
  readonly branchPrefix: string;
  /** Head commit of the GitOps branch. */
  head(): Promise<{ sha: string; url?: string }>;
  /** Counts of `revision` relative to `base`; throws NotFoundError for an unknown revision. */
  compare(base: string, revision: string): Promise<CommitCounts>;
  /** The oldest commit on the branch that touched `path` (the one that added it). */
  firstCommit(path: string): Promise<LifecycleCommit | undefined>;
  /** The pull request (GitHub) or branch (local) that proposes changes on `branch`. */
  findChange(branch: string): Promise<LifecycleChange | undefined>;
  /** Link to a commit, when the repository has a web UI. */
  commitUrl(sha: string): string | undefined;
  /** Names of the apps on the GitOps branch: folders `apps/<name>` with a `base` folder, sorted. */
  listApps(): Promise<string[]>;
}

/** The folder of the GitOps repository that holds one folder per app. */
const APPS_DIR = 'apps';
/** The folder inside an app that environments' overlays build on. */
const APP_BASE_DIR = 'base';

const SHA = /^[0-9a-f]{7,40}$/i;

/**
 * A git repository on this machine, read with isomorphic-git (as the
 * scaffolder and catalog modules do). Counts walk the history of both
 * commits, bounded by `maxDepth` commits each.
 * @public
 */
export class LocalGitOpsRepositoryReader implements GitOpsRepositoryReader {
  readonly kind = 'local' as const;
  private readonly cache = {};

  constructor(
    private readonly dir: string,
    readonly defaultBranch: string,
    readonly branchPrefix: string,
    private readonly maxDepth = 5000,
  ) {}

  private async resolve(ref: string): Promise<string> {
    if (!fs.existsSync(this.dir)) {
      throw new NotFoundError(
        `GitOps repository ${this.dir} does not exist yet; it is created when the first environment is published`,
      );
    }
    try {
      if (SHA.test(ref)) {
        return await git.expandOid({
          fs,
          dir: this.dir,
          oid: ref,
          cache: this.cache,
        });
      }
      return await git.resolveRef({ fs, dir: this.dir, ref });
    } catch (e) {
      let reason: string;
      if (!isError(e) || e.name !== 'NotFoundError') {
        reason = `${ref} could not be read from the GitOps repository ${
          this.dir
        }: ${isError(e) ? e.message : String(e)}`;
      } else if (SHA.test(ref)) {
        reason = `Commit ${ref} is not in the GitOps repository ${this.dir}: Argo CD deploys from another repository, or from history this copy does not have`;
      } else {
        reason = `${ref} does not exist in the GitOps repository ${this.dir}`;
      }
      throw new NotFoundError(reason);
    }
  }

  private async ancestors(oid: string): Promise<Set<string>> {
    const log = await git.log({
      fs,
      dir: this.dir,
      ref: oid,
      depth: this.maxDepth,
      cache: this.cache,
    });
    return new Set(log.map(c => c.oid));
  }

  async head() {
    return { sha: await this.resolve(`refs/heads/${this.defaultBranch}`) };
  }

  async compare(base: string, revision: string): Promise<CommitCounts> {
    const [b, r] = await Promise.all([
      this.resolve(base),
      this.resolve(revision),
    ]);
    if (b === r) return { aheadBy: 0, behindBy: 0 };
    const [inBase, inRevision] = await Promise.all([
      this.ancestors(b),
      this.ancestors(r),
    ]);
    let aheadBy = 0;
    for (const c of inRevision) if (!inBase.has(c)) aheadBy++;
    let behindBy = 0;
    for (const c of inBase) if (!inRevision.has(c)) behindBy++;
    return { aheadBy, behindBy };
  }

  async firstCommit(path: string): Promise<LifecycleCommit | undefined> {
    const head = await this.resolve(`refs/heads/${this.defaultBranch}`);
    let log;
    try {
      log = await git.log({
        fs,
        dir: this.dir,
        ref: head,
        filepath: path,
        cache: this.cache,
      });
    } catch (e) {
      if (isError(e) && e.name === 'NotFoundError') return undefined;
      throw e;
    }
    const first = log[log.length - 1];
    if (!first) return undefined;
    return {
      sha: first.oid,
      at: new Date(first.commit.committer.timestamp * 1000).toISOString(),
      message: first.commit.message.split('\n')[0],
    };
  }

  async findChange(branch: string): Promise<LifecycleChange | undefined> {
    let sha: string;
    try {
      sha = await git.resolveRef({
        fs,
        dir: this.dir,
        ref: `refs/heads/${branch}`,
      });
    } catch {
      return undefined;
    }
    const { commit } = await git.readCommit({
      fs,
      dir: this.dir,
      oid: sha,
      cache: this.cache,
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

  private async trees(oid: string, filepath?: string) {
    try {
      const { tree } = await git.readTree({
        fs,
        dir: this.dir,
        oid,
        filepath,
        cache: this.cache,
      });
      return tree.filter(e => e.type === 'tree');
    } catch (e) {
      if (isError(e) && e.name === 'NotFoundError') return [];
      throw e;
    }
  }

  async listApps(): Promise<string[]> {
    const head = await this.resolve(`refs/heads/${this.defaultBranch}`);
    const apps: string[] = [];
    for (const app of await this.trees(head, APPS_DIR)) {
      const inside = await this.trees(head, `${APPS_DIR}/${app.path}`);
      if (inside.some(e => e.path === APP_BASE_DIR)) apps.push(app.path);
    }
    return apps.sort();
  }
}

/**
 * A GitHub repository (github.com or a GitHub Enterprise host), asked
 * through the REST API with the token of the `integrations.github` entry for
 * its host (never sent anywhere else).
 * @public
 */
export class GitHubGitOpsRepositoryReader implements GitOpsRepositoryReader {
  readonly kind = 'github' as const;

  constructor(
    private readonly options: {
      owner: string;
      repo: string;
      apiBaseUrl: string;
      /** Origin of the web pages, e.g. `https://ghe.example.com`; default `https://github.com`. */
      webBaseUrl?: string;
      token: () => Promise<string | undefined>;
      fetch?: typeof fetch;
    },
    readonly defaultBranch: string,
    readonly branchPrefix: string,
  ) {}

  private async call<T>(path: string): Promise<{ body: T; link?: string }> {
    const token = await this.options.token();
    const res = await (this.options.fetch ?? fetch)(
      `${this.options.apiBaseUrl}/repos/${this.options.owner}/${this.options.repo}${path}`,
      {
        headers: {
          accept: 'application/vnd.github+json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
    );
    if (res.status === 404) {
      throw new NotFoundError(
        `GitHub ${this.options.owner}/${this.options.repo}: ${
          path.split('?')[0]
        } not found`,
      );
    }
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return {
      body: (await res.json()) as T,
      link: res.headers.get('link') ?? undefined,
    };
  }

  private get webUrl() {
    return `${this.options.webBaseUrl ?? 'https://github.com'}/${
      this.options.owner
    }/${this.options.repo}`;
  }

  async head() {
    const { body } = await this.call<{ sha: string }>(
      `/commits/${encodeURIComponent(this.defaultBranch)}`,
    );
    return { sha: body.sha, url: this.commitUrl(body.sha) };
  }

  async compare(base: string, revision: string): Promise<CommitCounts> {
    const { body } = await this.call<{ ahead_by: number; behind_by: number }>(
      `/compare/${encodeURIComponent(base)}...${encodeURIComponent(revision)}`,
    );
    return { aheadBy: body.ahead_by, behindBy: body.behind_by };
  }

  async firstCommit(path: string): Promise<LifecycleCommit | undefined> {
    type C = {
      sha: string;
      html_url: string;
      commit: { message: string; committer?: { date?: string } };
    };
    const query = `/commits?sha=${encodeURIComponent(
      this.defaultBranch,
    )}&path=${encodeURIComponent(path)}&per_page=100`;
    let { body, link } = await this.call<C[]>(query);
    const last = link?.match(/[?&]page=(\d+)[^>]*>;\s*rel="last"/);
    if (last) {
      ({ body, link } = await this.call<C[]>(`${query}&page=${last[1]}`));
    }
    const first = body[body.length - 1];
    if (!first) return undefined;
    return {
      sha: first.sha,
      at: first.commit.committer?.date,
      message: first.commit.message.split('\n')[0],
      url: first.html_url,
    };
  }

  async findChange(branch: string): Promise<LifecycleChange | undefined> {
    type P = {
      number: number;
      html_url: string;
      state: 'open' | 'closed';
      draft?: boolean;
      created_at: string;
      merged_at: string | null;
    };
    const { body } = await this.call<P[]>(
      `/pulls?state=all&per_page=10&head=${encodeURIComponent(
        `${this.options.owner}:${branch}`,
      )}`,
    );
    const pr = body[0];
    if (!pr) return undefined;
    return {
      kind: 'pull-request',
      number: pr.number,
      url: pr.html_url,
      state: pr.merged_at ? 'merged' : pr.state,
      draft: pr.draft,
      createdAt: pr.created_at,
      ...(pr.merged_at ? { mergedAt: pr.merged_at } : {}),
    };
  }

  commitUrl(sha: string) {
    return `${this.webUrl}/commit/${sha}`;
  }

  async listApps(): Promise<string[]> {
    type Tree = { tree: Array<{ path: string; type: string; sha: string }> };
    const { body: root } = await this.call<Tree>(
      `/git/trees/${encodeURIComponent(this.defaultBranch)}`,
    );
    const apps = root.tree.find(e => e.path === APPS_DIR && e.type === 'tree');
    if (!apps) return [];
    const { body } = await this.call<Tree>(
      `/git/trees/${apps.sha}?recursive=1`,
    );
    return body.tree
      .filter(e => e.type === 'tree')
      .map(e => e.path.split('/'))
      .filter(parts => parts.length === 2 && parts[1] === APP_BASE_DIR)
      .map(parts => parts[0])
      .sort();
  }
}

/**
 * The reader for `gitops.repository`, or undefined when there is no
 * `gitops` config.
 * @public
 */
export function gitOpsRepositoryReaderFromConfig(
  config: Config,
): GitOpsRepositoryReader | undefined {
  if (!config.has('gitops')) return undefined;
  const gitops = readGitOpsConfig(config);
  if (gitops.kind === 'local') {
    return new LocalGitOpsRepositoryReader(
      gitops.path,
      gitops.defaultBranch,
      gitops.branchPrefix,
    );
  }
  const integrations = ScmIntegrations.fromConfig(config);
  const integration = integrations.github.byUrl(gitops.url);
  const credentials =
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  return new GitHubGitOpsRepositoryReader(
    {
      owner: gitops.owner,
      repo: gitops.repo,
      apiBaseUrl: integration?.config.apiBaseUrl ?? 'https://api.github.com',
      webBaseUrl: new URL(gitops.url).origin,
      token: async () =>
        (await credentials.getCredentials({ url: gitops.url })).token,
    },
    gitops.defaultBranch,
    gitops.branchPrefix,
  );
}
