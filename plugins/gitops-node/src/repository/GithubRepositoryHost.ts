import { NotFoundError, ResponseError } from '@backstage/errors';
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

/** Where a GitHub repository is and how to ask its API. */
export interface GithubRepositoryHostOptions {
  owner: string;
  repo: string;
  /** e.g. `https://api.github.com` or `https://ghe.example.com/api/v3`. */
  apiBaseUrl: string;
  /** Origin of the web pages, e.g. `https://github.com` or `https://ghe.example.com`. */
  webBaseUrl: string;
  /** The token of the `integrations.github` entry of the host (sent nowhere else). */
  token: () => Promise<string | undefined>;
  fetch?: typeof fetch;
}

type GithubTree = {
  sha: string;
  truncated: boolean;
  tree: Array<{ path: string; type: string; sha: string }>;
};

/** A git author or committer as GitHub gives it (`nullable-git-user`). */
type GithubGitUser = { name?: string; email?: string; date?: string } | null;

type GithubCommit = {
  sha: string;
  html_url: string;
  commit: {
    message: string;
    author?: GithubGitUser;
    committer?: GithubGitUser;
  };
  parents: Array<{ sha: string }>;
};

const person = (user: GithubGitUser | undefined) => ({
  name: user?.name ?? '',
  email: user?.email ?? '',
  date: user?.date ?? '',
});

/**
 * Files a GitHub comparison lists at most; it leaves out the others without
 * saying so (GitHub's REST documentation of "Compare two commits").
 */
const GITHUB_COMPARE_FILES = 300;

/**
 * A repository on github.com or a GitHub Enterprise host, read through the
 * REST API: commits, git trees and blobs (by id, so they cache forever),
 * compare, and pull requests.
 */
export class GithubRepositoryHost implements RepositoryHost {
  readonly kind = 'github' as const;
  readonly location: string;

  constructor(private readonly options: GithubRepositoryHostOptions) {
    this.location = `${options.webBaseUrl}/${options.owner}/${options.repo}`;
  }

  private async request(path: string): Promise<Response> {
    const token = await this.options.token();
    return (this.options.fetch ?? fetch)(
      `${this.options.apiBaseUrl}/repos/${this.options.owner}/${this.options.repo}${path}`,
      {
        headers: {
          accept: 'application/vnd.github+json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
    );
  }

  private async call<T>(path: string): Promise<{ body: T; link?: string }> {
    const res = await this.request(path);
    // 422: "No commit found for SHA" for a ref the repository lacks
    if (res.status === 404 || res.status === 422) {
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

  async head(branch: string): Promise<string | undefined> {
    const path = `/commits/${encodeURIComponent(branch)}`;
    const res = await this.request(path);
    // 409: "Git Repository is empty."
    if (res.status === 409) return undefined;
    if (res.ok) return ((await res.json()) as { sha: string }).sha;
    return (await this.call<{ sha: string }>(path)).body.sha;
  }

  async resolve(ref: string): Promise<string> {
    const { body } = await this.call<{ sha: string }>(
      `/commits/${encodeURIComponent(ref)}`,
    );
    return body.sha;
  }

  private async tree(sha: string, recursive = false): Promise<GithubTree> {
    return (
      await this.call<GithubTree>(
        `/git/trees/${encodeURIComponent(sha)}${
          recursive ? '?recursive=1' : ''
        }`,
      )
    ).body;
  }

  /** Entries of the tree `sha`, every level, walking folder by folder when GitHub truncates. */
  private async allEntries(sha: string): Promise<GitOpsTreeEntry[]> {
    const whole = await this.tree(sha, true);
    if (!whole.truncated) return entries(whole);
    const out: GitOpsTreeEntry[] = [];
    const walk = async (treeSha: string, prefix: string) => {
      for (const e of entries(await this.tree(treeSha))) {
        out.push({ ...e, path: `${prefix}${e.path}` });
        if (e.type === 'tree') await walk(e.sha, `${prefix}${e.path}/`);
      }
    };
    await walk(sha, '');
    return out;
  }

  async listTree(
    commit: string,
    path: string,
    recursive: boolean,
  ): Promise<GitOpsTreeEntry[]> {
    let sha = commit;
    for (const segment of path ? path.split('/') : []) {
      const folder = entries(await this.tree(sha)).find(
        e => e.path === segment && e.type === 'tree',
      );
      if (!folder) return [];
      sha = folder.sha;
    }
    return recursive ? this.allEntries(sha) : entries(await this.tree(sha));
  }

  async readBlob(sha: string): Promise<string> {
    const { body } = await this.call<{ content: string; encoding: string }>(
      `/git/blobs/${encodeURIComponent(sha)}`,
    );
    return Buffer.from(
      body.content,
      body.encoding === 'base64' ? 'base64' : 'utf8',
    ).toString('utf8');
  }

  async compare(base: string, revision: string): Promise<GitOpsCommitCounts> {
    const { body } = await this.call<{ ahead_by: number; behind_by: number }>(
      `/compare/${encodeURIComponent(base)}...${encodeURIComponent(revision)}`,
    );
    return { aheadBy: body.ahead_by, behindBy: body.behind_by };
  }

  async firstCommit(
    ref: string,
    path: string,
  ): Promise<GitOpsCommitInfo | undefined> {
    const query = `/commits?sha=${encodeURIComponent(
      ref,
    )}&path=${encodeURIComponent(path)}&per_page=100`;
    let { body, link } = await this.call<GithubCommit[]>(query);
    const last = link?.match(/[?&]page=(\d+)[^>]*>;\s*rel="last"/);
    if (last) {
      ({ body, link } = await this.call<GithubCommit[]>(
        `${query}&page=${last[1]}`,
      ));
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

  async findChange(branch: string): Promise<GitOpsChange | undefined> {
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
    return `${this.location}/commit/${sha}`;
  }

  async history(
    ref: string,
    path: string,
    limit: number,
  ): Promise<GitOpsHistoryCommit[]> {
    const { body } = await this.call<GithubCommit[]>(
      `/commits?sha=${encodeURIComponent(ref)}&path=${encodeURIComponent(
        path,
      )}&per_page=${limit}`,
    );
    return body.map(c => ({
      sha: c.sha,
      at: c.commit.committer?.date,
      message: c.commit.message.split('\n')[0],
      fullMessage: c.commit.message,
      url: c.html_url,
    }));
  }

  async changedFiles(
    base: string,
    revision: string,
  ): Promise<GitOpsChangedFiles> {
    type F = { filename: string; status: string; previous_filename?: string };
    const { body } = await this.call<{
      merge_base_commit: { sha: string };
      files?: F[];
    }>(
      `/compare/${encodeURIComponent(base)}...${encodeURIComponent(revision)}`,
    );
    const files = body.files ?? [];
    return {
      mergeBase: body.merge_base_commit.sha,
      files: files.flatMap(githubChangedFile),
      ...(files.length >= GITHUB_COMPARE_FILES ? { truncated: true } : {}),
    };
  }

  async readCommit(ref: string): Promise<HostCommit> {
    const { body } = await this.call<GithubCommit>(
      `/commits/${encodeURIComponent(ref)}`,
    );
    return {
      sha: body.sha,
      message: body.commit.message,
      author: person(body.commit.author),
      committer: person(body.commit.committer),
      parents: body.parents.map(p => p.sha),
    };
  }
}

/** A file of a GitHub comparison; a rename is the old path removed and the new one added. */
function githubChangedFile(f: {
  filename: string;
  status: string;
  previous_filename?: string;
}): GitOpsChangedFile[] {
  switch (f.status) {
    case 'added':
    case 'copied':
      return [{ path: f.filename, status: 'added' }];
    case 'removed':
      return [{ path: f.filename, status: 'removed' }];
    case 'renamed':
      return [
        ...(f.previous_filename
          ? [{ path: f.previous_filename, status: 'removed' as const }]
          : []),
        { path: f.filename, status: 'added' },
      ];
    default:
      return [{ path: f.filename, status: 'modified' }];
  }
}

/** Files and folders of a GitHub tree (submodules left out). */
function entries(tree: GithubTree): GitOpsTreeEntry[] {
  return tree.tree
    .filter(e => e.type === 'blob' || e.type === 'tree')
    .map(e => ({ path: e.path, type: e.type as 'blob' | 'tree', sha: e.sha }));
}
