import type { JsonObject } from '@backstage/types';
import { GitHistory, FakeCommit } from './gitHistory';

/** A merge request the fake GitLab lists (`GET /projects/:id/merge_requests`). @public */
export interface FakeGitlabMergeRequest {
  iid: number;
  source_branch: string;
  target_branch: string;
  state: 'opened' | 'closed' | 'locked' | 'merged';
  draft: boolean;
  created_at: string;
  merged_at: string | null;
}

/** Options of {@link createFakeGitlabRepository}. @public */
export interface FakeGitlabRepositoryOptions {
  /** A git repository on disk whose commits the fake serves. */
  dir: string;
  /** Default `gitlab.example.com`. */
  host?: string;
  /** Group and project path, default `platform/infra/gitops`. */
  projectPath?: string;
  /** Token the fake accepts as `Authorization: Bearer`; any request without it is 401. */
  token?: string;
  mergeRequests?: FakeGitlabMergeRequest[];
  /** Entries per page of list endpoints at most (GitLab's `per_page` cap is 100). */
  maxPerPage?: number;
  /**
   * Files a comparison lists at most, the instance's "Maximum diff files"
   * (GitLab's default 1000); GitLab leaves out the rest without saying so.
   */
  maxDiffFiles?: number;
}

/** A fake GitLab project: its request handler and what it was asked. @public */
export interface FakeGitlabRepository {
  /** `https://<host>/api/v4`: route every request below it to {@link FakeGitlabRepository.handle}. */
  readonly apiBaseUrl: string;
  /** `https://<host>/<projectPath>`. */
  readonly webUrl: string;
  /**
   * The app-config that reads this project as `gitops.repository`: the
   * `integrations.gitlab` entry of its host (with the token) and the
   * project URL.
   */
  readonly config: JsonObject;
  /** Requests answered, as `GET <path below the project>?<query>`. */
  readonly requests: string[];
  /** Answers one request of the REST API v4, as GitLab does. */
  handle(request: Request): Promise<Response>;
}

const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
const notFound = (what: string) =>
  json({ message: `404 ${what} Not Found` }, { status: 404 });

/**
 * A GitLab project served from a real git repository, answering the REST
 * API v4 reads of the GitOps repository service (project, commits, commit
 * list with `path`, repository tree, raw blobs, compare, merge requests)
 * with the fields, status codes, error messages (such as
 * "404 Commit Not Found") and pagination headers (`x-next-page`) that
 * GitLab's API documentation gives. Route every request below `apiBaseUrl`
 * to `handle` with msw's `http.all`.
 * @public
 */
export function createFakeGitlabRepository(
  options: FakeGitlabRepositoryOptions,
): FakeGitlabRepository {
  const host = options.host ?? 'gitlab.example.com';
  const projectPath = options.projectPath ?? 'platform/infra/gitops';
  const apiBaseUrl = `https://${host}/api/v4`;
  const webUrl = `https://${host}/${projectPath}`;
  const repo = new GitHistory(options.dir);
  const requests: string[] = [];
  const maxPerPage = options.maxPerPage ?? 100;

  const commitJson = (c: FakeCommit) => ({
    id: c.oid,
    short_id: c.oid.slice(0, 8),
    title: c.message.split('\n')[0],
    message: c.message,
    parent_ids: c.parents,
    author_name: c.author.name,
    author_email: c.author.email,
    authored_date: new Date(c.authoredAt * 1000).toISOString(),
    committer_name: c.committer.name,
    committer_email: c.committer.email,
    committed_date: new Date(c.committedAt * 1000).toISOString(),
    created_at: new Date(c.committedAt * 1000).toISOString(),
    web_url: `${webUrl}/-/commit/${c.oid}`,
  });

  const paged = (items: unknown[], query: URLSearchParams) => {
    const perPage = Math.min(Number(query.get('per_page') ?? 20), maxPerPage);
    const page = Number(query.get('page') ?? 1);
    const pages = Math.max(1, Math.ceil(items.length / perPage));
    return json(items.slice((page - 1) * perPage, page * perPage), {
      headers: {
        'x-page': String(page),
        'x-per-page': String(perPage),
        'x-next-page': page < pages ? String(page + 1) : '',
        'x-prev-page': page > 1 ? String(page - 1) : '',
      },
    });
  };

  async function route(
    rest: string,
    query: URLSearchParams,
  ): Promise<Response> {
    if (rest === '') {
      const head = await repo.resolve('HEAD');
      return json({
        id: 4711,
        path_with_namespace: projectPath,
        default_branch: head ? 'main' : null,
        web_url: webUrl,
        empty_repo: await repo.isEmpty(),
      });
    }
    let m = /^\/repository\/commits\/(.+)$/.exec(rest);
    if (m) {
      const oid = await repo.resolve(decodeURIComponent(m[1]));
      return oid
        ? json(commitJson(await repo.commit(oid)))
        : notFound('Commit');
    }
    if (rest === '/repository/commits') {
      const oid = await repo.resolve(query.get('ref_name') ?? 'HEAD');
      if (!oid) return notFound('Commit');
      const path = query.get('path') ?? undefined;
      const log = await repo.log(oid, path).catch(() => []);
      return paged(log.map(commitJson), query);
    }
    if (rest === '/repository/tree') {
      const oid = await repo.resolve(query.get('ref') ?? 'HEAD');
      if (!oid) return notFound('Tree');
      const path = query.get('path') ?? '';
      const entries =
        query.get('recursive') === 'true'
          ? await repo.walk(oid, path)
          : await repo.tree(oid, path);
      if (!entries) return notFound('Tree');
      return paged(
        entries.map(e => ({
          id: e.oid,
          name: e.path.split('/').pop(),
          type: e.type,
          path: path ? `${path}/${e.path}` : e.path,
          mode: e.type === 'tree' ? '040000' : '100644',
        })),
        query,
      );
    }
    m = /^\/repository\/blobs\/([0-9a-f]+)\/raw$/.exec(rest);
    if (m) {
      const blob = await repo.blob(m[1]);
      return blob
        ? new Response(blob, { headers: { 'content-type': 'text/plain' } })
        : notFound('Blob');
    }
    if (rest === '/repository/merge_base') {
      const [a, b] = await Promise.all(
        query.getAll('refs[]').map(r => repo.resolve(r)),
      );
      const base = a && b && (await repo.mergeBase(a, b));
      return base ? json(commitJson(await repo.commit(base))) : notFound('Ref');
    }
    if (rest === '/repository/compare') {
      const from = await repo.resolve(query.get('from') ?? '');
      const to = await repo.resolve(query.get('to') ?? '');
      if (!from || !to) return notFound('Ref');
      const inFrom = new Set((await repo.log(from)).map(c => c.oid));
      const commits = (await repo.log(to))
        .filter(c => !inFrom.has(c.oid))
        .reverse()
        .map(commitJson);
      // straight=false (GitLab's default) compares from the merge base
      const base =
        query.get('straight') === 'true'
          ? from
          : await repo.mergeBase(from, to);
      const diffs = base
        ? (await repo.diff(base, to))
            .slice(0, options.maxDiffFiles ?? 1000)
            .map(f => ({
              old_path: f.path,
              new_path: f.path,
              a_mode: f.status === 'added' ? '0' : '100644',
              b_mode: f.status === 'removed' ? '0' : '100644',
              new_file: f.status === 'added',
              renamed_file: false,
              deleted_file: f.status === 'removed',
              diff: '',
            }))
        : [];
      return json({
        commit: commits[commits.length - 1] ?? null,
        commits,
        diffs,
        compare_timeout: false,
        compare_same_ref: from === to,
        web_url: `${webUrl}/-/compare/${from}...${to}`,
      });
    }
    if (rest === '/merge_requests') {
      const branch = query.get('source_branch');
      const state = query.get('state') ?? 'all';
      return paged(
        (options.mergeRequests ?? [])
          .filter(mr => !branch || mr.source_branch === branch)
          .filter(mr => state === 'all' || mr.state === state)
          .map(mr => ({
            ...mr,
            id: 1000 + mr.iid,
            project_id: 4711,
            title: `Merge request ${mr.iid}`,
            web_url: `${webUrl}/-/merge_requests/${mr.iid}`,
          })),
        query,
      );
    }
    return json({ error: '404 Not Found' }, { status: 404 });
  }

  return {
    apiBaseUrl,
    webUrl,
    config: {
      integrations: {
        gitlab: [
          {
            host,
            apiBaseUrl,
            ...(options.token ? { token: options.token } : {}),
          },
        ],
      },
      gitops: { repository: webUrl },
    },
    requests,
    async handle(request: Request) {
      const url = new URL(request.url);
      const prefix = `/api/v4/projects/${encodeURIComponent(projectPath)}`;
      const raw = url.pathname;
      if (!raw.startsWith(prefix) && !raw.startsWith('/api/v4/projects/')) {
        return json({ error: '404 Not Found' }, { status: 404 });
      }
      if (
        options.token &&
        request.headers.get('authorization') !== `Bearer ${options.token}`
      ) {
        return json({ message: '401 Unauthorized' }, { status: 401 });
      }
      if (!raw.startsWith(prefix)) {
        return json({ message: '404 Project Not Found' }, { status: 404 });
      }
      const rest = raw.slice(prefix.length);
      requests.push(`${request.method} ${rest}${url.search}`);
      return route(rest, url.searchParams);
    },
  };
}
