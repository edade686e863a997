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

/** Where a GitLab project is and how to ask its API. */
export interface GitlabRepositoryHostOptions {
  /** Group path, subgroups included, e.g. `platform/infra`. */
  owner: string;
  repo: string;
  /** e.g. `https://gitlab.com/api/v4`. */
  apiBaseUrl: string;
  /** Origin of the web pages, e.g. `https://gitlab.example.com`. */
  webBaseUrl: string;
  /** The token of the `integrations.gitlab` entry of the host (sent nowhere else). */
  token: () => Promise<string | undefined>;
  fetch?: typeof fetch;
}

/*
 * The fields of GitLab REST API v4 responses read here, as GitLab's API
 * documentation (docs.gitlab.com/api: repositories, commits, merge
 * requests, projects) lists them.
 */
type GitlabTreeEntry = {
  id: string;
  name: string;
  type: 'tree' | 'blob' | 'commit';
  path: string;
  mode: string;
};
type GitlabCommit = {
  id: string;
  title: string;
  message: string;
  parent_ids: string[];
  author_name: string;
  author_email: string;
  authored_date: string;
  committer_name: string;
  committer_email: string;
  committed_date: string;
  web_url: string;
};
type GitlabMergeRequest = {
  iid: number;
  web_url: string;
  state: 'opened' | 'closed' | 'locked' | 'merged';
  draft: boolean;
  created_at: string;
  merged_at: string | null;
};

/** A merge request's state as a change's state (a locked one is closed). */
const CHANGE_STATE = {
  opened: 'open',
  merged: 'merged',
  closed: 'closed',
  locked: 'closed',
} as const;

/**
 * Files a GitLab comparison lists by default (the instance's "Maximum diff
 * files", up to 3000 where an admin raised it); it leaves out the others
 * without saying so, so a list this long is said to be truncated (at worst
 * wrongly, on an instance with a higher limit: the safe side).
 */
const GITLAB_DIFF_FILES = 1000;

/** Pages of 100 GitLab lists return at most; the next page is in `x-next-page`. */
const PER_PAGE = 100;

/**
 * A project on gitlab.com or a self-managed GitLab host, read through the
 * REST API v4: commits, repository tree and blobs (by id), compare and
 * merge requests.
 */
export class GitlabRepositoryHost implements RepositoryHost {
  readonly kind = 'gitlab' as const;
  readonly location: string;
  private readonly project: string;

  constructor(private readonly options: GitlabRepositoryHostOptions) {
    this.location = `${options.webBaseUrl}/${options.owner}/${options.repo}`;
    this.project = `${options.owner}/${options.repo}`;
  }

  private async request(path: string): Promise<Response> {
    const token = await this.options.token();
    return (this.options.fetch ?? fetch)(
      `${this.options.apiBaseUrl}/projects/${encodeURIComponent(
        this.project,
      )}${path}`,
      { headers: token ? { authorization: `Bearer ${token}` } : {} },
    );
  }

  private async call(path: string): Promise<Response> {
    const res = await this.request(path);
    if (res.status === 404) {
      throw new NotFoundError(
        `GitLab ${this.project}: ${path.split('?')[0]} not found`,
      );
    }
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res;
  }

  /** Every page of a list endpoint (`query` already has a `?`). */
  private async list<T>(query: string): Promise<T[]> {
    const out: T[] = [];
    let page: string | null = '1';
    while (page) {
      const res = await this.call(`${query}&per_page=${PER_PAGE}&page=${page}`);
      out.push(...((await res.json()) as T[]));
      page = res.headers.get('x-next-page') || null;
    }
    return out;
  }

  async head(branch: string): Promise<string | undefined> {
    const res = await this.request(
      `/repository/commits/${encodeURIComponent(branch)}`,
    );
    if (res.ok) return ((await res.json()) as GitlabCommit).id;
    if (res.status === 404) {
      const project = (await (await this.call('')).json()) as {
        empty_repo?: boolean;
      };
      if (project.empty_repo) return undefined;
    }
    return this.resolve(branch);
  }

  async resolve(ref: string): Promise<string> {
    const res = await this.call(
      `/repository/commits/${encodeURIComponent(ref)}`,
    );
    return ((await res.json()) as GitlabCommit).id;
  }

  async listTree(
    commit: string,
    path: string,
    recursive: boolean,
  ): Promise<GitOpsTreeEntry[]> {
    let entries: GitlabTreeEntry[];
    try {
      entries = await this.list<GitlabTreeEntry>(
        `/repository/tree?ref=${encodeURIComponent(commit)}${
          path ? `&path=${encodeURIComponent(path)}` : ''
        }&recursive=${recursive}`,
      );
    } catch (e) {
      // "404 Tree Not Found": the folder does not exist at that commit
      if (e instanceof NotFoundError && path) return [];
      throw e;
    }
    const prefix = path ? `${path}/` : '';
    return entries
      .filter(e => e.type === 'blob' || e.type === 'tree')
      .map(e => ({
        path: e.path.startsWith(prefix) ? e.path.slice(prefix.length) : e.path,
        type: e.type as 'blob' | 'tree',
        sha: e.id,
      }));
  }

  async readBlob(sha: string): Promise<string> {
    const res = await this.call(
      `/repository/blobs/${encodeURIComponent(sha)}/raw`,
    );
    return Buffer.from(await res.arrayBuffer()).toString('utf8');
  }

  private async commitsBetween(from: string, to: string): Promise<number> {
    const res = await this.call(
      `/repository/compare?from=${encodeURIComponent(
        from,
      )}&to=${encodeURIComponent(to)}`,
    );
    return ((await res.json()) as { commits: GitlabCommit[] }).commits.length;
  }

  async compare(base: string, revision: string): Promise<GitOpsCommitCounts> {
    // compare lists the commits of `to` since the merge base with `from`
    const [aheadBy, behindBy] = await Promise.all([
      this.commitsBetween(base, revision),
      this.commitsBetween(revision, base),
    ]);
    return { aheadBy, behindBy };
  }

  async firstCommit(
    ref: string,
    path: string,
  ): Promise<GitOpsCommitInfo | undefined> {
    const commits = await this.list<GitlabCommit>(
      `/repository/commits?ref_name=${encodeURIComponent(
        ref,
      )}&path=${encodeURIComponent(path)}`,
    );
    const first = commits[commits.length - 1];
    if (!first) return undefined;
    return {
      sha: first.id,
      at: first.committed_date,
      message: first.title,
      url: first.web_url,
    };
  }

  async findChange(branch: string): Promise<GitOpsChange | undefined> {
    const res = await this.call(
      `/merge_requests?state=all&per_page=10&source_branch=${encodeURIComponent(
        branch,
      )}`,
    );
    const mr = ((await res.json()) as GitlabMergeRequest[])[0];
    if (!mr) return undefined;
    return {
      kind: 'pull-request',
      number: mr.iid,
      url: mr.web_url,
      state: CHANGE_STATE[mr.state],
      draft: mr.draft,
      createdAt: mr.created_at,
      ...(mr.merged_at ? { mergedAt: mr.merged_at } : {}),
    };
  }

  commitUrl(sha: string) {
    return `${this.location}/-/commit/${sha}`;
  }

  async history(
    ref: string,
    path: string,
    limit: number,
  ): Promise<GitOpsHistoryCommit[]> {
    const res = await this.call(
      `/repository/commits?ref_name=${encodeURIComponent(
        ref,
      )}&path=${encodeURIComponent(path)}&per_page=${limit}`,
    );
    return ((await res.json()) as GitlabCommit[]).map(c => ({
      sha: c.id,
      at: c.committed_date,
      message: c.title,
      fullMessage: c.message,
      url: c.web_url,
    }));
  }

  async changedFiles(
    base: string,
    revision: string,
  ): Promise<GitOpsChangedFiles> {
    const mergeBase = (await (
      await this.call(
        `/repository/merge_base?refs[]=${encodeURIComponent(
          base,
        )}&refs[]=${encodeURIComponent(revision)}`,
      )
    ).json()) as GitlabCommit;
    const res = await this.call(
      `/repository/compare?from=${encodeURIComponent(
        mergeBase.id,
      )}&to=${encodeURIComponent(revision)}&straight=true`,
    );
    const body = (await res.json()) as {
      diffs: GitlabDiff[];
      compare_timeout?: boolean;
    };
    return {
      mergeBase: mergeBase.id,
      files: body.diffs.flatMap(gitlabChangedFile),
      ...(body.compare_timeout || body.diffs.length >= GITLAB_DIFF_FILES
        ? { truncated: true }
        : {}),
    };
  }

  async readCommit(ref: string): Promise<HostCommit> {
    const res = await this.call(
      `/repository/commits/${encodeURIComponent(ref)}`,
    );
    const c = (await res.json()) as GitlabCommit;
    return {
      sha: c.id,
      message: c.message,
      author: {
        name: c.author_name,
        email: c.author_email,
        date: c.authored_date,
      },
      committer: {
        name: c.committer_name,
        email: c.committer_email,
        date: c.committed_date,
      },
      parents: c.parent_ids,
    };
  }
}

type GitlabDiff = {
  old_path: string;
  new_path: string;
  new_file: boolean;
  renamed_file: boolean;
  deleted_file: boolean;
};

/** A file of a GitLab comparison; a rename is the old path removed and the new one added. */
function gitlabChangedFile(d: GitlabDiff): GitOpsChangedFile[] {
  if (d.new_file) return [{ path: d.new_path, status: 'added' }];
  if (d.deleted_file) return [{ path: d.old_path, status: 'removed' }];
  if (d.renamed_file) {
    return [
      { path: d.old_path, status: 'removed' },
      { path: d.new_path, status: 'added' },
    ];
  }
  return [{ path: d.new_path, status: 'modified' }];
}
