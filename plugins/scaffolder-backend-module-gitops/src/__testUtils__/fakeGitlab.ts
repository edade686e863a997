import crypto from 'node:crypto';
import { http, HttpResponse } from 'msw';
import type {
  GitlabBranch,
  GitlabCommit,
  GitlabCompare,
  GitlabCreateCommit,
  GitlabDiff,
  GitlabMergeRequest,
  GitlabProject,
  GitlabUser,
} from '../publish/gitlab/gitlabTypes';

/** One API request the fake answered. */
export type GitlabExchange = {
  method: string;
  /** Path below the API base, with the project id decoded, without query. */
  path: string;
  status: number;
  request?: unknown;
};

/** An answer the fake gives instead of the real one, `times` times. */
export type GitlabFault = {
  method: string;
  path: RegExp;
  status: number;
  times: number;
  headers?: Record<string, string>;
};

type StoredCommit = {
  commit: GitlabCommit;
  /** path → blob id */
  files: Map<string, string>;
};

function sha1(text: string): string {
  return crypto.createHash('sha1').update(text).digest('hex');
}

function blobId(content: string): string {
  const data = Buffer.from(content, 'utf8');
  return crypto
    .createHash('sha1')
    .update(`blob ${data.length}\0`)
    .update(data)
    .digest('hex');
}

/**
 * One GitLab project behind msw answering the REST API v4 calls of the
 * GitLab publisher, with response bodies carrying the fields GitLab's API
 * documentation lists for them (see `publish/gitlab/gitlabTypes.ts` and the
 * PROVENANCE note there: there is no OpenAPI description to validate
 * against) and GitLab's error messages for the cases it refuses.
 */
export class FakeGitlab {
  readonly host: string;
  readonly apiBase: string;
  readonly projectPath: string;
  readonly projectId = 4711;
  readonly blobs = new Map<string, string>();
  readonly commits = new Map<string, StoredCommit>();
  readonly branches = new Map<string, string>();
  readonly mergeRequests: GitlabMergeRequest[] = [];
  readonly exchanges: GitlabExchange[] = [];
  readonly faults: GitlabFault[] = [];
  readonly users: GitlabUser[] = [
    { id: 7, username: 'alice', name: 'Alice Admin' },
  ];
  validTokens = new Set(['glpat-test-token']);
  /** Runs before a request is answered, e.g. to let another client act first. */
  beforeRequest?: (method: string, path: string, body: any) => void;
  private clock = 0;

  constructor(
    options: {
      host?: string;
      apiBase?: string;
      projectPath?: string;
      files?: Record<string, string>;
    } = {},
  ) {
    this.host = options.host ?? 'gitlab.example.com';
    this.apiBase = options.apiBase ?? `https://${this.host}/api/v4`;
    this.projectPath = options.projectPath ?? 'platform/infra/gitops';
    const sha = this.storeCommit(
      this.storeFiles(
        new Map(),
        options.files ?? { 'README.md': '# GitOps\n' },
      ),
      [],
      'Initial commit',
      { name: 'Admin', email: 'admin@example.com' },
    );
    this.branches.set('main', sha);
  }

  get webUrl() {
    return `https://${this.host}/${this.projectPath}`;
  }

  /** Requests that change something. */
  writes(): GitlabExchange[] {
    return this.exchanges.filter(
      e => e.method !== 'GET' && e.method !== 'HEAD',
    );
  }

  /** Files of a branch head. */
  filesOf(branch: string): Record<string, string> {
    const stored = this.commits.get(this.branches.get(branch)!)!;
    return Object.fromEntries(
      [...stored.files].map(([p, b]) => [p, this.blobs.get(b)!]),
    );
  }

  /** The head commit of a branch. */
  headOf(branch: string): GitlabCommit {
    return this.commits.get(this.branches.get(branch)!)!.commit;
  }

  /** Adds a commit on a branch, as another user would push. */
  pushCommit(branch: string, files: Record<string, string>, message: string) {
    const parent = this.branches.get(branch)!;
    const sha = this.storeCommit(
      this.storeFiles(this.commits.get(parent)!.files, files),
      [parent],
      message,
      { name: 'Someone Else', email: 'else@example.com' },
    );
    this.branches.set(branch, sha);
    return sha;
  }

  private storeFiles(
    base: Map<string, string>,
    files: Record<string, string>,
  ): Map<string, string> {
    const next = new Map(base);
    for (const [p, c] of Object.entries(files)) {
      const id = blobId(c);
      this.blobs.set(id, c);
      next.set(p, id);
    }
    return next;
  }

  private storeCommit(
    files: Map<string, string>,
    parents: string[],
    message: string,
    author: { name: string; email: string },
  ): string {
    this.clock += 1;
    const id = sha1(
      `${JSON.stringify([...files])} ${parents.join(',')} ${message} ${
        this.clock
      }`,
    );
    const date = new Date(Date.UTC(2026, 0, 1, 0, this.clock)).toISOString();
    const commit: GitlabCommit & Record<string, unknown> = {
      id,
      short_id: id.slice(0, 8),
      title: message.split('\n')[0],
      message,
      parent_ids: parents,
      author_name: author.name,
      author_email: author.email,
      // the commits API commits as the token's user
      committer_name: 'Portal Bot',
      committer_email: 'portal-bot@example.com',
      authored_date: date,
      committed_date: date,
      created_at: date,
      web_url: `${this.webUrl}/-/commit/${id}`,
    };
    this.commits.set(id, { commit, files });
    return id;
  }

  private error(status: number, message: unknown) {
    return HttpResponse.json({ message }, { status });
  }

  private branchBody(name: string): GitlabBranch & Record<string, unknown> {
    return {
      name,
      commit: this.headOf(name),
      merged: false,
      protected: name === 'main',
      developers_can_push: false,
      developers_can_merge: false,
      can_push: true,
      default: name === 'main',
      web_url: `${this.webUrl}/-/tree/${encodeURIComponent(name)}`,
    };
  }

  private projectBody(): GitlabProject & Record<string, unknown> {
    const [name] = this.projectPath.split('/').slice(-1);
    return {
      id: this.projectId,
      name,
      path: name,
      path_with_namespace: this.projectPath,
      default_branch: 'main',
      visibility: 'private',
      web_url: this.webUrl,
      http_url_to_repo: `${this.webUrl}.git`,
    };
  }

  private compare(from: string, to: string): GitlabCompare | undefined {
    const a = this.commits.get(from);
    const b = this.commits.get(to);
    if (!a || !b) return undefined;
    const diffs: GitlabDiff[] = [];
    const paths = new Set([...a.files.keys(), ...b.files.keys()]);
    for (const p of [...paths].sort()) {
      const before = a.files.get(p);
      const after = b.files.get(p);
      if (before === after) continue;
      diffs.push({
        old_path: p,
        new_path: p,
        a_mode: before ? '100644' : '0',
        b_mode: after ? '100644' : '0',
        new_file: before === undefined,
        renamed_file: false,
        deleted_file: after === undefined,
        diff: `@@ changed ${p}\n`,
      } as GitlabDiff);
    }
    const commits: GitlabCommit[] = [];
    for (let s: string | undefined = to; s && s !== from; ) {
      const c: StoredCommit | undefined = this.commits.get(s);
      if (!c) break;
      commits.unshift(c.commit);
      s = c.commit.parent_ids[0];
    }
    return {
      commit: b.commit,
      commits,
      diffs,
      compare_timeout: false,
      compare_same_ref: from === to,
    };
  }

  /** `POST /projects/:id/repository/commits`, as GitLab answers it. */
  createCommit(body: GitlabCreateCommit) {
    const exists = this.branches.has(body.branch);
    if (exists && !body.force && !body.start_sha && !body.start_branch) {
      // committing on top of an existing branch
    } else if (exists && !body.force) {
      return this.error(
        400,
        `A branch called '${body.branch}' already exists. Switch to that branch in order to make changes`,
      );
    }
    const start =
      body.start_sha ??
      (body.start_branch
        ? this.branches.get(body.start_branch)
        : this.branches.get(body.branch));
    if (!start || !this.commits.has(start)) {
      return this.error(
        400,
        'You can only create or edit files when you are on a branch',
      );
    }
    const files = new Map(this.commits.get(start)!.files);
    for (const action of body.actions) {
      const present = files.has(action.file_path);
      if (action.action === 'create' && present) {
        return this.error(400, 'A file with this name already exists');
      }
      if (action.action !== 'create' && !present) {
        return this.error(400, "A file with this name doesn't exist");
      }
      if (action.action === 'delete') {
        files.delete(action.file_path);
      } else {
        const content = action.content ?? '';
        const id = blobId(content);
        this.blobs.set(id, content);
        files.set(action.file_path, id);
      }
    }
    const sha = this.storeCommit(files, [start], body.commit_message, {
      name: body.author_name ?? 'Portal Bot',
      email: body.author_email ?? 'portal-bot@example.com',
    });
    this.branches.set(body.branch, sha);
    return HttpResponse.json(
      {
        ...this.commits.get(sha)!.commit,
        stats: {
          additions: body.actions.length,
          deletions: 0,
          total: body.actions.length,
        },
        status: null,
        project_id: this.projectId,
      },
      { status: 201 },
    );
  }

  /**
   * Ends merge request `iid` as GitLab does: `merged` (squashed: one new
   * commit on the target with its changes) or `closed`; either way its
   * `sha` stays the head it had and its branch is kept (the squash copies
   * the files the change writes; deletions are not modelled).
   */
  endMergeRequest(iid: number, how: 'squash-merged' | 'closed'): void {
    const mr = this.mergeRequests.find(m => m.iid === iid)!;
    mr.sha = this.branches.get(mr.source_branch)!;
    if (how === 'squash-merged') {
      const head = this.commits.get(mr.sha)!;
      const before = this.commits.get(head.commit.parent_ids[0])!.files;
      const changed: Record<string, string> = {};
      for (const [p, blob] of head.files)
        if (before.get(p) !== blob) changed[p] = this.blobs.get(blob)!;
      this.pushCommit(mr.target_branch, changed, `${mr.title} (!${iid})`);
    }
    mr.state = how === 'closed' ? 'closed' : 'merged';
  }

  private mergeRequestBody(mr: GitlabMergeRequest) {
    return {
      ...mr,
      // only an open merge request follows its source branch
      sha:
        (mr.state === 'opened' && this.branches.get(mr.source_branch)) ||
        mr.sha,
      merge_status: 'can_be_merged',
      detailed_merge_status: 'mergeable',
      source_project_id: this.projectId,
      target_project_id: this.projectId,
      references: {
        short: `!${mr.iid}`,
        full: `${this.projectPath}!${mr.iid}`,
      },
    };
  }

  private createMergeRequest(body: Record<string, any>) {
    const open = this.mergeRequests.find(
      m =>
        m.state === 'opened' &&
        m.source_branch === body.source_branch &&
        m.target_branch === body.target_branch,
    );
    if (open) {
      return this.error(409, [
        `Another open merge request already exists for this source branch: !${open.iid}`,
      ]);
    }
    if (!this.branches.has(body.source_branch)) {
      return this.error(422, ['Source branch does not exist']);
    }
    const iid = this.mergeRequests.length + 1;
    const title: string = body.title;
    const mr: GitlabMergeRequest = {
      id: 90000 + iid,
      iid,
      project_id: this.projectId,
      title,
      description: body.description ?? null,
      state: 'opened',
      source_branch: body.source_branch,
      target_branch: body.target_branch,
      labels: body.labels ? String(body.labels).split(',') : [],
      draft: /^(draft:|\[draft\]|\(draft\))/i.test(title),
      web_url: `${this.webUrl}/-/merge_requests/${iid}`,
      sha: this.branches.get(body.source_branch)!,
      reviewers: (body.reviewer_ids ?? []).map((id: number) => ({
        id,
        username: this.users.find(u => u.id === id)?.username ?? '?',
      })),
    };
    this.mergeRequests.push(mr);
    return HttpResponse.json(this.mergeRequestBody(mr), { status: 201 });
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: any,
  ): Response | undefined {
    if (method === 'GET' && path === '/users') {
      return HttpResponse.json(
        this.users.filter(u => u.username === query.get('username')),
      );
    }
    const prefix = `/projects/${this.projectPath}`;
    if (!path.startsWith(prefix)) return undefined;
    const rest = path.slice(prefix.length);
    if (method === 'GET' && rest === '') {
      return HttpResponse.json(this.projectBody());
    }
    let m = /^\/repository\/branches\/(.+)$/.exec(rest);
    if (method === 'GET' && m) {
      return this.branches.has(m[1])
        ? HttpResponse.json(this.branchBody(m[1]))
        : this.error(404, '404 Branch Not Found');
    }
    m = /^\/repository\/files\/(.+)$/.exec(rest);
    if ((method === 'HEAD' || method === 'GET') && m) {
      const ref = query.get('ref') ?? '';
      const commitId = this.branches.get(ref) ?? ref;
      const stored = this.commits.get(commitId);
      const blob = stored?.files.get(m[1]);
      if (!stored || !blob) return this.error(404, '404 File Not Found');
      const content = this.blobs.get(blob)!;
      const headers = {
        'X-Gitlab-Blob-Id': blob,
        'X-Gitlab-Commit-Id': commitId,
        'X-Gitlab-File-Path': m[1],
        'X-Gitlab-File-Name': m[1].split('/').pop()!,
        'X-Gitlab-Ref': ref,
        'X-Gitlab-Size': String(Buffer.byteLength(content)),
        'X-Gitlab-Encoding': 'base64',
      };
      return method === 'HEAD'
        ? new HttpResponse(null, { status: 200, headers })
        : HttpResponse.json(
            {
              file_name: m[1].split('/').pop(),
              file_path: m[1],
              size: Buffer.byteLength(content),
              encoding: 'base64',
              content: Buffer.from(content).toString('base64'),
              ref,
              blob_id: blob,
              commit_id: commitId,
              last_commit_id: commitId,
            },
            { headers },
          );
    }
    if (method === 'GET' && rest === '/repository/compare') {
      const resolve = (ref: string | null) =>
        ref ? this.branches.get(ref) ?? ref : '';
      const result = this.compare(
        resolve(query.get('from')),
        resolve(query.get('to')),
      );
      return result
        ? HttpResponse.json(result)
        : this.error(404, '404 Ref Not Found');
    }
    if (method === 'POST' && rest === '/repository/commits') {
      return this.createCommit(body);
    }
    m = /^\/repository\/branches\/(.+)$/.exec(rest);
    if (method === 'DELETE' && m) {
      return this.branches.delete(m[1])
        ? new HttpResponse(null, { status: 204 })
        : this.error(404, '404 Branch Not Found');
    }
    if (method === 'GET' && rest === '/merge_requests') {
      const state = query.get('state') ?? 'all';
      const perPage = Number(query.get('per_page') ?? 20);
      return HttpResponse.json(
        this.mergeRequests
          .filter(
            mr =>
              (state === 'all' || mr.state === state) &&
              (!query.get('source_branch') ||
                mr.source_branch === query.get('source_branch')) &&
              (!query.get('target_branch') ||
                mr.target_branch === query.get('target_branch')),
          )
          // GitLab's default order: newest first (`order_by=created_at`, `sort=desc`)
          .sort((a, b) =>
            query.get('sort') === 'asc' ? a.iid - b.iid : b.iid - a.iid,
          )
          .slice(0, perPage)
          .map(mr => this.mergeRequestBody(mr)),
      );
    }
    if (method === 'POST' && rest === '/merge_requests') {
      return this.createMergeRequest(body);
    }
    m = /^\/merge_requests\/(\d+)$/.exec(rest);
    if (method === 'PUT' && m) {
      const mr = this.mergeRequests.find(x => x.iid === Number(m![1]));
      if (!mr) return this.error(404, '404 Not found');
      if (body.title !== undefined) mr.title = body.title;
      if (body.description !== undefined) mr.description = body.description;
      if (body.add_labels) {
        mr.labels = [
          ...new Set([...mr.labels, ...String(body.add_labels).split(',')]),
        ];
      }
      return HttpResponse.json(this.mergeRequestBody(mr));
    }
    return undefined;
  }

  /** The msw handlers; pass them to `setupServer`. */
  handlers() {
    return [
      http.all(`${this.apiBase}/*`, async ({ request }) => {
        const url = new URL(request.url);
        const encoded = url.pathname.slice(
          new URL(this.apiBase).pathname.length,
        );
        // `/projects/<url-encoded path>/...`: one segment per id, as GitLab
        const path = encoded
          .split('/')
          .map(s => decodeURIComponent(s))
          .join('/');
        const method = request.method;
        const text =
          method === 'GET' || method === 'HEAD' ? '' : await request.text();
        const body = text ? JSON.parse(text) : undefined;
        const record = (status: number) =>
          this.exchanges.push({ method, path, status, request: body });
        const auth =
          request.headers.get('private-token') ??
          (request.headers.get('authorization') ?? '').replace(
            /^bearer\s+/i,
            '',
          );
        if (!this.validTokens.has(auth)) {
          record(401);
          return this.error(401, '401 Unauthorized');
        }
        this.beforeRequest?.(method, path, body);
        const fault = this.faults.find(
          f => f.times > 0 && f.method === method && f.path.test(path),
        );
        if (fault) {
          fault.times -= 1;
          record(fault.status);
          return HttpResponse.json(
            {
              message:
                fault.status === 429
                  ? 'Retry later'
                  : '500 Internal Server Error',
            },
            { status: fault.status, headers: fault.headers },
          );
        }
        const response =
          this.route(method, path, url.searchParams, body) ??
          this.error(404, '404 Not Found');
        record(response.status);
        return response;
      }),
    ];
  }
}
