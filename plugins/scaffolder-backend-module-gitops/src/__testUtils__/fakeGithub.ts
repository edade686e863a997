import crypto from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { githubOpenApi } from './githubOpenApi';

/** One request the fake answered. */
export type RecordedExchange = {
  method: string;
  path: string;
  /** OpenAPI path template, e.g. `/repos/{owner}/{repo}/git/refs`. */
  operation: string;
  status: number;
  body: unknown;
  /** The JSON the client sent (undefined for requests without a body). */
  request?: unknown;
};

/** A fault: answers instead of the fake while `times` lasts. */
export type Fault = {
  method: string;
  /** Matched against the OpenAPI path template. */
  operation: string;
  times: number;
  /**
   * `status`: answer with that status and GitHub's error body;
   * `reset-after`: do the work, then drop the connection;
   * `reset-before`: drop the connection without doing anything.
   */
  kind:
    | {
        type: 'status';
        status: number;
        body?: unknown;
        headers?: Record<string, string>;
      }
    | { type: 'reset-after' }
    | { type: 'reset-before' };
};

type Pull = {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
  state: 'open' | 'closed';
  labels: string[];
  reviewers: string[];
  headSha: string;
  /** When it was merged (GitHub's `merged_at`); closed unmerged: unset. */
  mergedAt?: string;
};

type Commit = {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
};

const API = 'https://api.github.com';

function sha1(text: string): string {
  return crypto.createHash('sha1').update(text).digest('hex');
}

function gitBlobSha(content: Buffer): string {
  return crypto
    .createHash('sha1')
    .update(`blob ${content.length}\0`)
    .update(content)
    .digest('hex');
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** A compared file's status, from whether it exists before and after. */
function fileStatus(before: boolean, after: boolean) {
  if (!before) return 'added';
  return after ? 'modified' : 'removed';
}

/** A copy of an example from GitHub's OpenAPI description, by name. */
export function githubExample(name: string): any {
  return clone(githubOpenApi().components.examples[name].value);
}

/** GitHub's error answer: `basic-error`, or `validation-error` with `errors`. */
export function githubError(
  status: number,
  message: string,
  extra: Record<string, unknown> = {},
) {
  return {
    status,
    body: {
      message,
      documentation_url: 'https://docs.github.com/rest',
      status: String(status),
      ...extra,
    },
  };
}

/**
 * An in-memory GitHub repository behind msw that answers the REST (and the one
 * GraphQL) calls used by our publisher and by the built-in
 * `publish:github:pull-request`, with bodies shaped after the examples in
 * GitHub's OpenAPI description (`@octokit/openapi`).
 */
export class FakeGithub {
  readonly owner = 'epicshelter';
  readonly repo = 'gitops';
  readonly defaultBranch = 'main';
  readonly blobs = new Map<string, string>();
  /** tree sha → flat map path → blob sha */
  readonly trees = new Map<string, Map<string, string>>();
  readonly commits = new Map<string, Commit>();
  readonly refs = new Map<string, string>();
  readonly pulls: Pull[] = [];
  readonly exchanges: RecordedExchange[] = [];
  readonly faults: Fault[] = [];
  /** Tokens the fake accepts; anything else gets 401. */
  validTokens = new Set(['ghp_test_token']);
  private clock = 0;

  constructor(
    initialFiles: Record<string, string> = { 'README.md': '# GitOps\n' },
    /** The host's API and web origins (GitHub Enterprise: its own). */
    readonly hosts: { api: string; web: string } = {
      api: API,
      web: 'https://github.com',
    },
  ) {
    const tree = this.storeTree(
      new Map(
        Object.entries(initialFiles).map(([p, c]) => [
          p,
          this.storeBlob(Buffer.from(c)),
        ]),
      ),
    );
    const sha = this.storeCommit(tree, [], 'Initial commit');
    this.refs.set(this.defaultBranch, sha);
  }

  /** Requests that change something on GitHub. */
  writes(): RecordedExchange[] {
    return this.exchanges.filter(
      e =>
        e.method !== 'GET' &&
        e.method !== 'HEAD' &&
        !(e.method === 'POST' && e.operation === '/graphql'),
    );
  }

  /** Adds a commit on a branch, as another user would push. */
  pushCommit(branch: string, files: Record<string, string>, message: string) {
    const parent = this.refs.get(branch)!;
    const base = this.trees.get(this.commits.get(parent)!.tree)!;
    const next = new Map(base);
    for (const [p, c] of Object.entries(files))
      next.set(p, this.storeBlob(Buffer.from(c)));
    const sha = this.storeCommit(this.storeTree(next), [parent], message);
    this.refs.set(branch, sha);
    return sha;
  }

  /**
   * An open pull request follows its head branch; a merged or closed one
   * keeps the head it had (GitHub shows it, and refuses to reopen it once
   * the branch moved).
   */
  private followHead(branch: string) {
    for (const p of this.pulls)
      if (p.head === branch && p.state === 'open')
        p.headSha = this.refs.get(branch)!;
  }

  /**
   * Merges pull request `number` as GitHub's "Squash and merge" does: one
   * new commit on the base with the pull request's changes, the pull
   * request closed and merged, its branch left where it was (no automatic
   * deletion of head branches).
   */
  squashMerge(number: number): string {
    const pull = this.pulls.find(p => p.number === number)!;
    const head = this.commits.get(pull.headSha)!;
    const before = this.trees.get(this.commits.get(head.parents[0])!.tree)!;
    const after = this.trees.get(head.tree)!;
    const base = this.refs.get(pull.base)!;
    const next = new Map(this.trees.get(this.commits.get(base)!.tree)!);
    for (const p of new Set([...before.keys(), ...after.keys()])) {
      const blob = after.get(p);
      if (blob === before.get(p)) continue;
      if (blob === undefined) next.delete(p);
      else next.set(p, blob);
    }
    const sha = this.storeCommit(
      this.storeTree(next),
      [base],
      `${pull.title} (#${number})`,
    );
    this.refs.set(pull.base, sha);
    pull.state = 'closed';
    pull.mergedAt = new Date(Date.UTC(2026, 0, 1, 0, this.clock)).toISOString();
    return sha;
  }

  /** Files of a branch head. */
  filesOf(branch: string): Record<string, string> {
    const commit = this.commits.get(this.refs.get(branch)!)!;
    const out: Record<string, string> = {};
    for (const [p, b] of this.trees.get(commit.tree)!)
      out[p] = this.blobs.get(b)!;
    return out;
  }

  private storeBlob(content: Buffer): string {
    const sha = gitBlobSha(content);
    this.blobs.set(sha, content.toString('utf8'));
    return sha;
  }

  private storeTree(entries: Map<string, string>): string {
    const sorted = [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    const sha = sha1(`tree ${JSON.stringify(sorted)}`);
    this.trees.set(sha, new Map(sorted));
    return sha;
  }

  private storeCommit(
    tree: string,
    parents: string[],
    message: string,
  ): string {
    this.clock += 1;
    const sha = sha1(
      `commit ${tree} ${parents.join(',')} ${message} ${this.clock}`,
    );
    this.commits.set(sha, { sha, tree, parents, message });
    return sha;
  }

  private repoUrl(suffix = '') {
    return `${this.hosts.api}/repos/${this.owner}/${this.repo}${suffix}`;
  }

  private example(name: string): any {
    return githubExample(name);
  }

  private error(
    status: number,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    return githubError(status, message, extra);
  }

  private gitRef(branch: string) {
    const sha = this.refs.get(branch)!;
    return {
      ref: `refs/heads/${branch}`,
      node_id: Buffer.from(`ref:${branch}`).toString('base64'),
      url: this.repoUrl(`/git/refs/heads/${branch}`),
      object: { type: 'commit', sha, url: this.repoUrl(`/git/commits/${sha}`) },
    };
  }

  private gitCommit(sha: string) {
    const c = this.commits.get(sha)!;
    const body = this.example('git-commit');
    body.sha = sha;
    body.node_id = Buffer.from(`commit:${sha}`).toString('base64');
    body.url = this.repoUrl(`/git/commits/${sha}`);
    body.html_url = `${this.hosts.web}/${this.owner}/${this.repo}/commit/${sha}`;
    body.message = c.message;
    body.tree = { sha: c.tree, url: this.repoUrl(`/git/trees/${c.tree}`) };
    body.parents = c.parents.map(p => ({
      sha: p,
      url: this.repoUrl(`/git/commits/${p}`),
      html_url: `${this.hosts.web}/${this.owner}/${this.repo}/commit/${p}`,
    }));
    return body;
  }

  private restCommit(sha: string, example: any) {
    const c = this.commits.get(sha)!;
    example.sha = sha;
    example.url = this.repoUrl(`/commits/${sha}`);
    example.html_url = `${this.hosts.web}/${this.owner}/${this.repo}/commit/${sha}`;
    example.commit.message = c.message;
    example.commit.tree = {
      sha: c.tree,
      url: this.repoUrl(`/git/trees/${c.tree}`),
    };
    example.parents = c.parents.map(p => ({
      sha: p,
      url: this.repoUrl(`/commits/${p}`),
      html_url: `${this.hosts.web}/${this.owner}/${this.repo}/commit/${p}`,
    }));
    return example;
  }

  /** `GET /compare/{base}...{head}`: commits of head not in base, files that differ. */
  private comparison(base: string, head: string) {
    const body = this.example('commit-comparison');
    const [fileExample] = body.files;
    const [commitExample] = body.commits;
    const before = this.trees.get(this.commits.get(base)!.tree)!;
    const after = this.trees.get(this.commits.get(head)!.tree)!;
    const paths = new Set([...before.keys(), ...after.keys()]);
    body.files = [...paths]
      .filter(p => before.get(p) !== after.get(p))
      .sort()
      .map(p => ({
        ...fileExample,
        sha: after.get(p) ?? before.get(p),
        filename: p,
        status: fileStatus(before.has(p), after.has(p)),
      }));
    const ahead: string[] = [];
    for (let sha: string | undefined = head; sha && sha !== base; ) {
      ahead.unshift(sha);
      sha = this.commits.get(sha)!.parents[0];
    }
    body.commits = ahead.map(sha => this.restCommit(sha, clone(commitExample)));
    body.ahead_by = ahead.length;
    body.behind_by = 0;
    body.total_commits = ahead.length;
    body.status = ahead.length ? 'ahead' : 'identical';
    body.base_commit = this.restCommit(base, clone(commitExample));
    body.merge_base_commit = this.restCommit(base, clone(commitExample));
    return body;
  }

  private branch(name: string) {
    const body = this.example('branch-get');
    body.name = name;
    body.commit = this.restCommit(this.refs.get(name)!, body.commit);
    body._links = {
      self: this.repoUrl(`/branches/${name}`),
      html: `${this.hosts.web}/${this.owner}/${this.repo}/tree/${name}`,
    };
    body.protection_url = this.repoUrl(`/branches/${name}/protection`);
    return body;
  }

  private pullBody(
    pull: Pull,
    exampleName: 'pull-request' | 'pull-request-simple-items',
  ) {
    let body = this.example(exampleName);
    if (Array.isArray(body)) body = body[0];
    body.number = pull.number;
    body.id = 1000 + pull.number;
    body.url = this.repoUrl(`/pulls/${pull.number}`);
    body.html_url = `${this.hosts.web}/${this.owner}/${this.repo}/pull/${pull.number}`;
    body.title = pull.title;
    body.body = pull.body;
    body.state = pull.state;
    body.merged_at = pull.mergedAt ?? null;
    body.draft = pull.draft;
    body.labels = pull.labels.map((name, i) => ({
      id: i + 1,
      node_id: Buffer.from(`label:${name}`).toString('base64'),
      url: this.repoUrl(`/labels/${encodeURIComponent(name)}`),
      name,
      description: 'Added by the Epicshelter portal',
      color: 'ededed',
      default: false,
    }));
    body.requested_teams = [];
    body.head.ref = pull.head;
    body.head.sha = pull.headSha;
    body.head.label = `${this.owner}:${pull.head}`;
    body.base.ref = pull.base;
    body.base.sha = this.refs.get(pull.base)!;
    body.base.label = `${this.owner}:${pull.base}`;
    return body;
  }

  /** Routes a request; returns status and body (undefined body = empty). */
  private route(
    method: string,
    pathname: string,
    url: URL,
    json: any,
  ): {
    operation: string;
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
  } {
    const prefix = `/repos/${this.owner}/${this.repo}`;
    let m: RegExpMatchArray | null = null;
    if (method === 'POST' && pathname === '/graphql') {
      const head = json.variables.head as string;
      const exists = this.refs.has(head);
      const pull = this.pulls.find(p => p.head === head && p.state === 'open');
      return {
        operation: '/graphql',
        status: 200,
        body: {
          data: {
            repository: {
              ref: exists
                ? {
                    associatedPullRequests: {
                      edges: pull
                        ? [
                            {
                              node: {
                                id: `PR_${pull.number}`,
                                number: pull.number,
                                url: `${this.hosts.web}/${this.owner}/${this.repo}/pull/${pull.number}`,
                              },
                            },
                          ]
                        : [],
                    },
                  }
                : null,
            },
          },
        },
      };
    }
    if (!pathname.startsWith(prefix)) {
      return { operation: 'unknown', ...this.error(404, 'Not Found') };
    }
    const rest = pathname.slice(prefix.length);
    const on = (verb: string, re: RegExp) => {
      m = method === verb ? rest.match(re) : null;
      return m !== null;
    };
    if (method === 'GET' && rest === '') {
      const body = this.example('full-repository-default-response');
      body.name = this.repo;
      body.full_name = `${this.owner}/${this.repo}`;
      body.default_branch = this.defaultBranch;
      body.permissions = {
        admin: false,
        maintain: false,
        push: true,
        triage: true,
        pull: true,
      };
      return { operation: '/repos/{owner}/{repo}', status: 200, body };
    }
    if (on('GET', /^\/branches\/(.+)$/)) {
      const op = '/repos/{owner}/{repo}/branches/{branch}';
      if (!this.refs.has(m![1]))
        return { operation: op, ...this.error(404, 'Branch not found') };
      return { operation: op, status: 200, body: this.branch(m![1]) };
    }
    if (method === 'GET' && rest === '/commits') {
      const op = '/repos/{owner}/{repo}/commits';
      const sha = this.refs.get(
        url.searchParams.get('sha') ?? this.defaultBranch,
      );
      if (!sha) return { operation: op, ...this.error(404, 'Not Found') };
      const example = this.example('commit-items')[0];
      return {
        operation: op,
        status: 200,
        body: [this.restCommit(sha, example)],
      };
    }
    if (on('GET', /^\/compare\/([0-9a-f]{40})\.\.\.([0-9a-f]{40})$/)) {
      const op = '/repos/{owner}/{repo}/compare/{basehead}';
      const [base, head] = [m![1], m![2]];
      if (!this.commits.has(base) || !this.commits.has(head))
        return { operation: op, ...this.error(404, 'Not Found') };
      return { operation: op, status: 200, body: this.comparison(base, head) };
    }
    if (on('GET', /^\/git\/ref\/heads\/(.+)$/)) {
      const op = '/repos/{owner}/{repo}/git/ref/{ref}';
      if (!this.refs.has(m![1]))
        return { operation: op, ...this.error(404, 'Not Found') };
      return { operation: op, status: 200, body: this.gitRef(m![1]) };
    }
    if (method === 'POST' && rest === '/git/blobs') {
      const sha = this.storeBlob(
        Buffer.from(
          json.content,
          json.encoding === 'base64' ? 'base64' : 'utf8',
        ),
      );
      return {
        operation: '/repos/{owner}/{repo}/git/blobs',
        status: 201,
        body: { sha, url: this.repoUrl(`/git/blobs/${sha}`) },
      };
    }
    if (method === 'POST' && rest === '/git/trees') {
      const op = '/repos/{owner}/{repo}/git/trees';
      const base = json.base_tree
        ? this.trees.get(json.base_tree)
        : new Map<string, string>();
      if (!base)
        return {
          operation: op,
          ...this.error(422, 'base_tree is not a valid tree oid'),
        };
      const next = new Map(base);
      for (const entry of json.tree as any[]) {
        if (entry.sha === null) next.delete(entry.path);
        else if (typeof entry.content === 'string')
          next.set(entry.path, this.storeBlob(Buffer.from(entry.content)));
        else if (entry.sha && this.blobs.has(entry.sha))
          next.set(entry.path, entry.sha);
        else
          return {
            operation: op,
            ...this.error(422, `tree.sha ${entry.sha} is not a valid blob`),
          };
      }
      const sha = this.storeTree(next);
      const body = this.example('git-tree');
      body.sha = sha;
      body.url = this.repoUrl(`/git/trees/${sha}`);
      body.truncated = false;
      body.tree = [...next.entries()].slice(0, 3).map(([p, b]) => ({
        path: p,
        mode: '100644',
        type: 'blob',
        sha: b,
        size: Buffer.byteLength(this.blobs.get(b)!),
        url: this.repoUrl(`/git/blobs/${b}`),
      }));
      return { operation: op, status: 201, body };
    }
    if (on('GET', /^\/git\/commits\/([0-9a-f]{40})$/)) {
      const op = '/repos/{owner}/{repo}/git/commits/{commit_sha}';
      if (!this.commits.has(m![1]))
        return { operation: op, ...this.error(404, 'Not Found') };
      return { operation: op, status: 200, body: this.gitCommit(m![1]) };
    }
    if (method === 'POST' && rest === '/git/commits') {
      const op = '/repos/{owner}/{repo}/git/commits';
      if (!this.trees.has(json.tree))
        return { operation: op, ...this.error(422, 'Tree SHA does not exist') };
      for (const p of json.parents) {
        if (!this.commits.has(p))
          return {
            operation: op,
            ...this.error(
              422,
              'Parent SHA does not exist or is not a commit object',
            ),
          };
      }
      const sha = this.storeCommit(json.tree, json.parents, json.message);
      return { operation: op, status: 201, body: this.gitCommit(sha) };
    }
    if (method === 'POST' && rest === '/git/refs') {
      const op = '/repos/{owner}/{repo}/git/refs';
      const branch = String(json.ref).replace(/^refs\/heads\//, '');
      if (this.refs.has(branch))
        return {
          operation: op,
          ...this.error(422, 'Reference already exists'),
        };
      if (!this.commits.has(json.sha))
        return { operation: op, ...this.error(422, 'Object does not exist') };
      this.refs.set(branch, json.sha);
      return { operation: op, status: 201, body: this.gitRef(branch) };
    }
    if (on('PATCH', /^\/git\/refs\/heads\/(.+)$/)) {
      const op = '/repos/{owner}/{repo}/git/refs/{ref}';
      const branch = m![1];
      const current = this.refs.get(branch);
      if (!current)
        return {
          operation: op,
          ...this.error(422, 'Reference does not exist'),
        };
      if (!json.force && !this.isAncestor(current, json.sha)) {
        return {
          operation: op,
          ...this.error(422, 'Update is not a fast forward'),
        };
      }
      this.refs.set(branch, json.sha);
      this.followHead(branch);
      return { operation: op, status: 200, body: this.gitRef(branch) };
    }
    if (on('DELETE', /^\/git\/refs\/heads\/(.+)$/)) {
      const op = '/repos/{owner}/{repo}/git/refs/{ref}';
      // GitHub's OpenAPI documents this 422 without a body
      if (!this.refs.delete(m![1])) return { operation: op, status: 422 };
      // GitHub closes the open pull requests of a deleted head branch
      for (const p of this.pulls)
        if (p.head === m![1] && p.state === 'open') p.state = 'closed';
      return { operation: op, status: 204 };
    }
    if (method === 'GET' && rest === '/pulls') {
      const head = url.searchParams.get('head')?.split(':')[1];
      const state = url.searchParams.get('state') ?? 'open';
      const found = this.pulls.filter(
        p =>
          (!head || p.head === head) && (state === 'all' || p.state === state),
      );
      // GitHub's default order: newest first (`sort=created`, `direction=desc`)
      if (url.searchParams.get('direction') !== 'asc') found.reverse();
      return {
        operation: '/repos/{owner}/{repo}/pulls',
        status: 200,
        body: found.map(p => this.pullBody(p, 'pull-request-simple-items')),
      };
    }
    if (method === 'POST' && rest === '/pulls') {
      const op = '/repos/{owner}/{repo}/pulls';
      const head = String(json.head).includes(':')
        ? String(json.head).split(':')[1]
        : json.head;
      if (!this.refs.has(head)) {
        return {
          operation: op,
          ...this.error(422, 'Validation Failed', {
            errors: [
              { resource: 'PullRequest', field: 'head', code: 'invalid' },
            ],
          }),
        };
      }
      if (this.pulls.some(p => p.head === head && p.state === 'open')) {
        return {
          operation: op,
          ...this.error(422, 'Validation Failed', {
            errors: [
              {
                resource: 'PullRequest',
                code: 'custom',
                message: `A pull request already exists for ${this.owner}:${head}.`,
              },
            ],
          }),
        };
      }
      const pull: Pull = {
        number: this.pulls.length + 1,
        head,
        base: json.base,
        title: json.title,
        body: json.body ?? '',
        draft: !!json.draft,
        state: 'open',
        labels: [],
        reviewers: [],
        headSha: this.refs.get(head)!,
      };
      this.pulls.push(pull);
      return {
        operation: op,
        status: 201,
        body: this.pullBody(pull, 'pull-request'),
      };
    }
    if (on('PATCH', /^\/pulls\/(\d+)$/)) {
      const pull = this.pulls.find(p => p.number === Number(m![1]));
      const op = '/repos/{owner}/{repo}/pulls/{pull_number}';
      if (!pull) return { operation: op, ...this.error(404, 'Not Found') };
      if (json.title !== undefined) pull.title = json.title;
      if (json.body !== undefined) pull.body = json.body;
      return {
        operation: op,
        status: 200,
        body: this.pullBody(pull, 'pull-request'),
      };
    }
    if (on('POST', /^\/issues\/(\d+)\/labels$/)) {
      const op = '/repos/{owner}/{repo}/issues/{issue_number}/labels';
      const pull = this.pulls.find(p => p.number === Number(m![1]));
      if (!pull) return { operation: op, ...this.error(404, 'Not Found') };
      for (const l of json.labels as string[])
        if (!pull.labels.includes(l)) pull.labels.push(l);
      return {
        operation: op,
        status: 200,
        body: this.pullBody(pull, 'pull-request').labels,
      };
    }
    if (on('POST', /^\/pulls\/(\d+)\/requested_reviewers$/)) {
      const op =
        '/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers';
      const pull = this.pulls.find(p => p.number === Number(m![1]));
      if (!pull) return { operation: op, ...this.error(404, 'Not Found') };
      pull.reviewers.push(
        ...(json.reviewers ?? []),
        ...(json.team_reviewers ?? []),
      );
      return {
        operation: op,
        status: 201,
        body: this.pullBody(pull, 'pull-request-simple-items'),
      };
    }
    return {
      operation: 'unknown',
      ...this.error(404, `Fake GitHub has no route for ${method} ${pathname}`),
    };
  }

  private isAncestor(ancestor: string, sha: string): boolean {
    const queue = [sha];
    while (queue.length) {
      const s = queue.pop()!;
      if (s === ancestor) return true;
      queue.push(...(this.commits.get(s)?.parents ?? []));
    }
    return false;
  }

  /** The msw handlers; pass them to `setupServer`. */
  handlers() {
    return [
      http.all(`${this.hosts.api}/*`, async ({ request }) => {
        const url = new URL(request.url);
        // below the API base (GitHub Enterprise: `/api/v3`)
        const pathname = decodeURIComponent(
          url.pathname.slice(
            new URL(this.hosts.api).pathname.replace(/\/$/, '').length,
          ),
        );
        const method = request.method;
        const auth = request.headers.get('authorization') ?? '';
        const token = auth.replace(/^(token|bearer)\s+/i, '');
        const text =
          method === 'GET' || method === 'HEAD' ? '' : await request.text();
        const json = text ? JSON.parse(text) : {};
        if (!this.validTokens.has(token)) {
          const e = this.error(401, 'Bad credentials');
          this.exchanges.push({
            method,
            path: pathname,
            operation: 'auth',
            status: 401,
            body: e.body,
          });
          return HttpResponse.json(e.body, { status: 401 });
        }
        const operation = this.operationOf(pathname);
        const faultIndex = this.faults.findIndex(
          f => f.times > 0 && f.method === method && f.operation === operation,
        );
        const fault = faultIndex >= 0 ? this.faults[faultIndex] : undefined;
        if (fault) {
          fault.times -= 1;
          if (fault.kind.type === 'reset-before') {
            this.exchanges.push({
              method,
              path: pathname,
              operation: operation,
              status: 0,
              body: undefined,
            });
            return HttpResponse.error();
          }
          if (fault.kind.type === 'status') {
            const body =
              fault.kind.body ??
              this.error(fault.kind.status, 'Server Error').body;
            this.exchanges.push({
              method,
              path: pathname,
              operation: operation,
              status: fault.kind.status,
              body,
            });
            return HttpResponse.json(body as any, {
              status: fault.kind.status,
              headers: fault.kind.headers,
            });
          }
        }
        const result = this.route(method, pathname, url, json);
        this.exchanges.push({
          method,
          path: pathname,
          operation: result.operation,
          status: fault ? 0 : result.status,
          body: result.body,
          request: text ? json : undefined,
        });
        if (fault?.kind.type === 'reset-after') {
          return HttpResponse.error();
        }
        if (result.body === undefined) {
          return new HttpResponse(null, { status: result.status });
        }
        return HttpResponse.json(result.body as any, {
          status: result.status,
          headers: result.headers,
        });
      }),
    ];
  }

  private operationOf(pathname: string): string {
    const prefix = `/repos/${this.owner}/${this.repo}`;
    if (pathname === '/graphql') return '/graphql';
    const rest = pathname.slice(prefix.length);
    const table: Array<[RegExp, string]> = [
      [/^$/, '/repos/{owner}/{repo}'],
      [/^\/branches\/.+$/, '/repos/{owner}/{repo}/branches/{branch}'],
      [/^\/commits$/, '/repos/{owner}/{repo}/commits'],
      [/^\/git\/ref\/.+$/, '/repos/{owner}/{repo}/git/ref/{ref}'],
      [/^\/git\/blobs$/, '/repos/{owner}/{repo}/git/blobs'],
      [/^\/git\/trees$/, '/repos/{owner}/{repo}/git/trees'],
      [/^\/git\/commits$/, '/repos/{owner}/{repo}/git/commits'],
      [
        /^\/git\/commits\/[0-9a-f]{40}$/,
        '/repos/{owner}/{repo}/git/commits/{commit_sha}',
      ],
      [/^\/git\/refs$/, '/repos/{owner}/{repo}/git/refs'],
      [/^\/git\/refs\/.+$/, '/repos/{owner}/{repo}/git/refs/{ref}'],
      [/^\/pulls$/, '/repos/{owner}/{repo}/pulls'],
      [/^\/pulls\/\d+$/, '/repos/{owner}/{repo}/pulls/{pull_number}'],
      [
        /^\/pulls\/\d+\/requested_reviewers$/,
        '/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
      ],
      [
        /^\/issues\/\d+\/labels$/,
        '/repos/{owner}/{repo}/issues/{issue_number}/labels',
      ],
    ];
    return table.find(([re]) => re.test(rest))?.[1] ?? 'unknown';
  }
}
