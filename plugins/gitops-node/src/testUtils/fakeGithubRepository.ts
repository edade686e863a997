import type { JsonObject } from '@backstage/types';
import { GitHistory, FakeCommit } from './gitHistory';

/** Options of {@link createFakeGithubRepository}. @public */
export interface FakeGithubRepositoryOptions {
  /** A git repository on disk whose commits the fake serves. */
  dir: string;
  /** Default `https://api.github.com`. */
  apiBaseUrl?: string;
  /** Default `https://github.com`. */
  webBaseUrl?: string;
  /** Default `acme`. */
  owner?: string;
  /** Default `gitops`. */
  repo?: string;
  /** Token the fake accepts as `Authorization: Bearer`; any request without it is 401. */
  token?: string;
  /**
   * Pull requests as `GET /repos/{owner}/{repo}/pulls` lists them
   * (`pull-request-simple`, e.g. from `githubPullRequest` of the repository's
   * test utils); the fake filters them by `head` (`owner:branch`) and `state`.
   */
  pullRequests?: Array<{ state: string; head: { label: string } }>;
  /** Entries per page of list endpoints at most (GitHub's `per_page` cap is 100). */
  maxPerPage?: number;
  /** Files a comparison lists at most; GitHub lists 300 and leaves out the rest. */
  maxCompareFiles?: number;
  /**
   * Checks an answer against GitHub's OpenAPI description (operation path,
   * status, body) and returns the problems; they are collected in `invalid`.
   */
  validate?: (answer: {
    method: string;
    operation: string;
    status: number;
    body: unknown;
  }) => string[];
}

/** A fake GitHub repository: its request handler and what it was asked. @public */
export interface FakeGithubRepository {
  /** e.g. `https://api.github.com`: route `<apiBaseUrl>/repos/<owner>/<repo>/*` to `handle`. */
  readonly apiBaseUrl: string;
  /**
   * The app-config that reads this repository as `gitops.repository`: the
   * `integrations.github` entry of its host (with the token) and the
   * repository URL.
   */
  readonly config: JsonObject;
  /** Requests answered, as `GET <path below the repository>?<query>`. */
  readonly requests: string[];
  /** Problems `validate` found in the answers. */
  readonly invalid: string[];
  /** Answers one request of the REST API, as GitHub does. */
  handle(request: Request): Promise<Response>;
}

/**
 * A GitHub repository served from a real git repository, answering the
 * REST reads of the GitOps repository service: commits (one, and the list
 * with `path` and `link` pagination), git trees and blobs, compare (with
 * the merge base and the changed files), the pull requests it is given; an
 * empty repository answers 409 and an unknown ref 422, as GitHub does.
 * gitops-node's tests check every answer against `@octokit/openapi`
 * through `validate`.
 * @public
 */
export function createFakeGithubRepository(
  options: FakeGithubRepositoryOptions,
): FakeGithubRepository {
  const apiBaseUrl = options.apiBaseUrl ?? 'https://api.github.com';
  const webBaseUrl = options.webBaseUrl ?? 'https://github.com';
  const owner = options.owner ?? 'acme';
  const name = options.repo ?? 'gitops';
  const apiRepo = `${apiBaseUrl}/repos/${owner}/${name}`;
  const webRepo = `${webBaseUrl}/${owner}/${name}`;
  const repo = new GitHistory(options.dir);
  const requests: string[] = [];
  const invalid: string[] = [];

  const respond = (operation: string, status: number, body: unknown) => {
    invalid.push(
      ...(options.validate?.({ method: 'GET', operation, status, body }) ?? []),
    );
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
  /** One page of a list, with GitHub's `link` header when there are more. */
  const paged = (
    operation: string,
    path: string,
    items: unknown[],
    query: URLSearchParams,
  ) => {
    const perPage = Math.min(
      Number(query.get('per_page') ?? 30),
      options.maxPerPage ?? 100,
    );
    const page = Number(query.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const res = respond(
      operation,
      200,
      items.slice((page - 1) * perPage, page * perPage),
    );
    if (page < last) {
      const link = (p: number, rel: string) => {
        const q = new URLSearchParams(query);
        q.set('page', String(p));
        return `<${apiRepo}${path}?${q}>; rel="${rel}"`;
      };
      res.headers.set(
        'link',
        `${link(page + 1, 'next')}, ${link(last, 'last')}`,
      );
    }
    return res;
  };
  const error = (operation: string, status: number, message: string) =>
    respond(operation, status, {
      message,
      documentation_url: 'https://docs.github.com/rest',
    });

  const commitJson = (c: FakeCommit) => {
    const at = (seconds: number) => new Date(seconds * 1000).toISOString();
    return {
      url: `${apiRepo}/commits/${c.oid}`,
      sha: c.oid,
      node_id: `C_${c.oid.slice(0, 12)}`,
      html_url: `${webRepo}/commit/${c.oid}`,
      comments_url: `${apiRepo}/commits/${c.oid}/comments`,
      commit: {
        url: `${apiRepo}/git/commits/${c.oid}`,
        author: { ...c.author, date: at(c.authoredAt) },
        committer: { ...c.committer, date: at(c.committedAt) },
        message: c.message.replace(/\n$/, ''),
        comment_count: 0,
        tree: { sha: c.oid, url: `${apiRepo}/git/trees/${c.oid}` },
      },
      author: null,
      committer: null,
      parents: c.parents.map(p => ({ sha: p, url: `${apiRepo}/commits/${p}` })),
    };
  };

  async function route(rest: string, query: URLSearchParams) {
    let m = /^\/commits\/(.+)$/.exec(rest);
    const COMMIT = '/repos/{owner}/{repo}/commits/{ref}';
    if (m) {
      if (await repo.isEmpty()) {
        return error(COMMIT, 409, 'Git Repository is empty.');
      }
      const oid = await repo.resolve(decodeURIComponent(m[1]));
      return oid
        ? respond(COMMIT, 200, commitJson(await repo.commit(oid)))
        : error(COMMIT, 422, `No commit found for SHA: ${m[1]}`);
    }
    if (rest === '/commits') {
      const LIST = '/repos/{owner}/{repo}/commits';
      const oid = await repo.resolve(query.get('sha') ?? 'HEAD');
      if (!oid) return error(LIST, 404, 'Not Found');
      const all = await repo
        .log(oid, query.get('path') ?? undefined)
        .catch(() => []);
      return paged(LIST, '/commits', all.map(commitJson), query);
    }
    if (rest === '/pulls') {
      const PULLS = '/repos/{owner}/{repo}/pulls';
      const state = query.get('state') ?? 'open';
      const head = query.get('head');
      const pulls = (options.pullRequests ?? []).filter(
        pr =>
          (!head || pr.head.label === head) &&
          (state === 'all' || pr.state === state),
      );
      return paged(PULLS, '/pulls', pulls, query);
    }
    m = /^\/git\/trees\/([^/]+)$/.exec(rest);
    if (m) {
      const TREE = '/repos/{owner}/{repo}/git/trees/{tree_sha}';
      const oid = (await repo.resolve(m[1])) ?? m[1];
      const entries =
        query.get('recursive') === '1'
          ? await repo.walk(oid)
          : await repo.tree(oid);
      if (!entries) return error(TREE, 404, 'Not Found');
      return respond(TREE, 200, {
        sha: oid,
        url: `${apiRepo}/git/trees/${oid}`,
        truncated: false,
        tree: entries.map(e => ({
          path: e.path,
          mode: e.type === 'tree' ? '040000' : '100644',
          type: e.type,
          sha: e.oid,
          url: `${apiRepo}/git/${e.type}s/${e.oid}`,
        })),
      });
    }
    m = /^\/git\/blobs\/([0-9a-f]+)$/.exec(rest);
    if (m) {
      const BLOB = '/repos/{owner}/{repo}/git/blobs/{file_sha}';
      const blob = await repo.blob(m[1]);
      if (!blob) return error(BLOB, 404, 'Not Found');
      return respond(BLOB, 200, {
        sha: m[1],
        node_id: `B_${m[1].slice(0, 12)}`,
        size: blob.length,
        url: `${apiRepo}/git/blobs/${m[1]}`,
        content: blob.toString('base64'),
        encoding: 'base64',
      });
    }
    m = /^\/compare\/(.+)\.\.\.(.+)$/.exec(rest);
    if (m) {
      const COMPARE = '/repos/{owner}/{repo}/compare/{basehead}';
      const base = await repo.resolve(decodeURIComponent(m[1]));
      const head = await repo.resolve(decodeURIComponent(m[2]));
      if (!base || !head) return error(COMPARE, 404, 'Not Found');
      const inBase = await repo.log(base);
      const inHead = await repo.log(head);
      const baseSet = new Set(inBase.map(c => c.oid));
      const headSet = new Set(inHead.map(c => c.oid));
      const ahead = inHead.filter(c => !baseSet.has(c.oid));
      const behind = inBase.filter(c => !headSet.has(c.oid));
      const mergeBase = inHead.find(c => baseSet.has(c.oid)) ?? inBase[0];
      const diff = await repo.diff(mergeBase.oid, head);
      const files = diff.slice(0, options.maxCompareFiles ?? 300).map(f => ({
        sha: f.oid,
        filename: f.path,
        status: f.status,
        additions: 0,
        deletions: 0,
        changes: 0,
        blob_url: `${webRepo}/blob/${head}/${f.path}`,
        raw_url: `${webRepo}/raw/${head}/${f.path}`,
        contents_url: `${apiRepo}/contents/${f.path}?ref=${head}`,
      }));
      let status = 'identical';
      if (ahead.length && behind.length) status = 'diverged';
      else if (ahead.length) status = 'ahead';
      else if (behind.length) status = 'behind';
      return respond(COMPARE, 200, {
        url: `${apiRepo}/compare/${m[1]}...${m[2]}`,
        html_url: `${webRepo}/compare/${m[1]}...${m[2]}`,
        permalink_url: `${webRepo}/compare/${base}...${head}`,
        diff_url: `${webRepo}/compare/${m[1]}...${m[2]}.diff`,
        patch_url: `${webRepo}/compare/${m[1]}...${m[2]}.patch`,
        base_commit: commitJson(inBase[0]),
        merge_base_commit: commitJson(mergeBase),
        status,
        ahead_by: ahead.length,
        behind_by: behind.length,
        total_commits: ahead.length,
        commits: ahead.reverse().map(commitJson),
        files,
      });
    }
    return error('/repos/{owner}/{repo}', 404, 'Not Found');
  }

  return {
    apiBaseUrl,
    config: {
      integrations: {
        github: [
          {
            host: new URL(webBaseUrl).host,
            apiBaseUrl,
            ...(options.token ? { token: options.token } : {}),
          },
        ],
      },
      gitops: { repository: webRepo },
    },
    requests,
    invalid,
    async handle(request: Request): Promise<Response> {
      const url = new URL(request.url);
      const prefix = new URL(apiRepo).pathname;
      if (
        options.token &&
        request.headers.get('authorization') !== `Bearer ${options.token}`
      ) {
        return new Response(
          JSON.stringify({
            message: 'Bad credentials',
            documentation_url: 'https://docs.github.com/rest',
          }),
          { status: 401 },
        );
      }
      const rest = url.pathname.slice(prefix.length);
      requests.push(`${request.method} ${rest}${url.search}`);
      return route(rest, url.searchParams);
    },
  };
}
