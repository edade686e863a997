import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { http, HttpResponse } from 'msw';
import {
  githubError,
  githubExample,
  type RecordedExchange,
} from './fakeGithub';

/** An account on the fake host: who `GET /users/{username}` knows. */
export type FakeAccount = { login: string; type: 'User' | 'Organization' };

/** A repository created through the API, backed by a bare git repository. */
export type FakeHostedRepository = {
  owner: string;
  name: string;
  private: boolean;
  visibility: 'public' | 'private' | 'internal';
  description: string | null;
  /** The bare repository `git http-backend` serves. */
  gitDir: string;
  /** The body of the last `PUT .../branches/{branch}/protection`, by branch. */
  protection: Map<string, any>;
};

/** One git smart HTTP request the fake answered. */
export type RecordedGitExchange = {
  method: string;
  /** e.g. `/epicshelter/platform-gitops.git/info/refs` */
  path: string;
  query: string;
  status: number;
};

/** An API exchange with the JSON the client sent. */
export type RecordedApiExchange = RecordedExchange & { request: unknown };

const API = 'https://api.github.com';
const WEB = 'https://github.com';

/** `<owner>/<repo>.git/<rest>` in a git smart HTTP URL. */
const GIT_PATH = /^\/([^/]+)\/([^/]+)\.git(\/.*)$/;

/**
 * A GitHub host behind msw for creating and pushing a new repository, as the
 * built-in `publish:github` does: `GET /users/{username}`,
 * `POST /user/repos` or `POST /orgs/{org}/repos`,
 * `PUT /repos/{owner}/{repo}/branches/{branch}/protection`, and git smart
 * HTTP on `https://github.com/<owner>/<repo>.git` served by `git http-backend`
 * from a real bare repository created with the API call.
 */
export class FakeGithubHost {
  readonly exchanges: RecordedApiExchange[] = [];
  readonly gitExchanges: RecordedGitExchange[] = [];
  readonly repositories = new Map<string, FakeHostedRepository>();
  private readonly accounts: Map<string, FakeAccount>;
  private nextId = 1000;

  constructor(
    private readonly options: {
      /** Directory the bare repositories are created in. */
      root: string;
      /** The one token the host accepts, for the API and for git. */
      token: string;
      /** The login `POST /user/repos` creates repositories for. */
      viewer: string;
      accounts: FakeAccount[];
    },
  ) {
    this.accounts = new Map(options.accounts.map(a => [a.login, a]));
  }

  /** The repository `owner/name`, if it was created. */
  repository(owner: string, name: string): FakeHostedRepository | undefined {
    return this.repositories.get(`${owner}/${name}`.toLowerCase());
  }

  /** The msw handlers; `server.use(...host.handlers())`. */
  handlers() {
    return [
      http.all(`${API}/*`, async ({ request }) => this.api(request)),
      http.all(`${WEB}/*`, async ({ request }) => this.git(request)),
    ];
  }

  private async api(request: Request) {
    const url = new URL(request.url);
    const pathname = decodeURIComponent(url.pathname);
    const text = ['GET', 'HEAD'].includes(request.method)
      ? ''
      : await request.text();
    const json = text ? JSON.parse(text) : undefined;
    const credentials = request.headers.get('authorization') ?? '';
    const authorized =
      credentials.replace(/^(token|bearer)\s+/i, '') === this.options.token;
    const result = authorized
      ? this.route(request.method, pathname, json ?? {})
      : { operation: 'auth', ...githubError(401, 'Bad credentials') };
    this.exchanges.push({
      method: request.method,
      path: pathname,
      operation: result.operation,
      status: result.status,
      body: result.body,
      request: json,
    });
    return HttpResponse.json(result.body, { status: result.status });
  }

  private route(
    method: string,
    pathname: string,
    json: any,
  ): { operation: string; status: number; body: any } {
    const user = pathname.match(/^\/users\/([^/]+)$/);
    const org = pathname.match(/^\/orgs\/([^/]+)\/repos$/);
    const protection = pathname.match(
      /^\/repos\/([^/]+)\/([^/]+)\/branches\/(.+)\/protection$/,
    );
    if (method === 'GET' && user) {
      const operation = '/users/{username}';
      const account = this.accounts.get(user[1]);
      if (!account) return { operation, ...githubError(404, 'Not Found') };
      return { operation, status: 200, body: this.userBody(account) };
    }
    if (method === 'POST' && pathname === '/user/repos') {
      return {
        operation: '/user/repos',
        ...this.createRepository(this.options.viewer, json),
      };
    }
    if (method === 'POST' && org) {
      const operation = '/orgs/{org}/repos';
      if (this.accounts.get(org[1])?.type !== 'Organization') {
        return { operation, ...githubError(404, 'Not Found') };
      }
      return { operation, ...this.createRepository(org[1], json) };
    }
    if (method === 'PUT' && protection) {
      const [, owner, name, branch] = protection;
      const operation = '/repos/{owner}/{repo}/branches/{branch}/protection';
      const repo = this.repository(owner, name);
      if (!repo) return { operation, ...githubError(404, 'Not Found') };
      if (!hasBranch(repo.gitDir, branch)) {
        return { operation, ...githubError(404, 'Branch not found') };
      }
      repo.protection.set(branch, json);
      return {
        operation,
        status: 200,
        body: this.protectionBody(repo, branch, json),
      };
    }
    return {
      operation: 'unknown',
      ...githubError(
        404,
        `Fake GitHub host has no route for ${method} ${pathname}`,
      ),
    };
  }

  private createRepository(owner: string, json: any) {
    const name = String(json.name ?? '');
    if (!/^[A-Za-z0-9._-]+$/.test(name)) {
      return githubError(422, 'Repository creation failed.', {
        errors: [
          { resource: 'Repository', code: 'missing_field', field: 'name' },
        ],
      });
    }
    if (this.repository(owner, name)) {
      return githubError(422, 'Repository creation failed.', {
        errors: [
          {
            resource: 'Repository',
            code: 'custom',
            field: 'name',
            message: 'name already exists on this account',
          },
        ],
      });
    }
    const visibility =
      json.visibility ?? (json.private === true ? 'private' : 'public');
    const gitDir = path.join(this.options.root, owner, `${name}.git`);
    fs.mkdirSync(path.dirname(gitDir), { recursive: true });
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', gitDir]);
    const repo: FakeHostedRepository = {
      owner,
      name,
      private: visibility !== 'public',
      visibility,
      description: json.description ?? null,
      gitDir,
      protection: new Map(),
    };
    this.repositories.set(`${owner}/${name}`.toLowerCase(), repo);
    return { status: 201, body: this.repositoryBody(repo, json) };
  }

  private userBody(account: FakeAccount) {
    const body = renamed(githubExample('public-user-default-response'), {
      octocat: account.login,
    });
    body.id = loginId(account.login);
    body.type = account.type;
    body.name = account.login;
    return body;
  }

  private repositoryBody(repo: FakeHostedRepository, json: any) {
    const body = renamed(githubExample('full-repository'), {
      octocat: repo.owner,
      'Hello-World': repo.name,
    });
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    this.nextId += 1;
    Object.assign(body, {
      id: this.nextId,
      node_id: Buffer.from(`010:Repository${this.nextId}`).toString('base64'),
      private: repo.private,
      visibility: repo.visibility,
      description: repo.description,
      homepage: json.homepage ?? null,
      fork: false,
      license: null,
      language: null,
      topics: [],
      size: 0,
      default_branch: 'main',
      forks: 0,
      forks_count: 0,
      stargazers_count: 0,
      watchers: 0,
      watchers_count: 0,
      open_issues: 0,
      open_issues_count: 0,
      subscribers_count: 1,
      network_count: 0,
      is_template: false,
      archived: false,
      disabled: false,
      has_issues: json.has_issues ?? true,
      has_projects: json.has_projects ?? true,
      has_wiki: json.has_wiki ?? true,
      has_discussions: json.has_discussions ?? false,
      allow_merge_commit: json.allow_merge_commit ?? true,
      allow_squash_merge: json.allow_squash_merge ?? true,
      allow_rebase_merge: json.allow_rebase_merge ?? true,
      allow_auto_merge: json.allow_auto_merge ?? false,
      delete_branch_on_merge: json.delete_branch_on_merge ?? false,
      created_at: now,
      updated_at: now,
      pushed_at: now,
      permissions: {
        admin: true,
        maintain: true,
        push: true,
        triage: true,
        pull: true,
      },
    });
    body.owner.id = loginId(repo.owner);
    body.owner.type = this.accounts.get(repo.owner)?.type ?? 'User';
    if (body.owner.type === 'Organization') {
      body.organization = { ...body.owner };
    } else {
      delete body.organization;
    }
    delete body.parent;
    delete body.source;
    delete body.template_repository;
    return body;
  }

  private protectionBody(
    repo: FakeHostedRepository,
    branch: string,
    json: any,
  ) {
    const base = `${API}/repos/${repo.owner}/${repo.name}/branches/${branch}/protection`;
    const body = githubExample('branch-protection-update');
    const enabled = (on: unknown) => ({ enabled: on === true });
    const checks = json.required_status_checks;
    const reviews = json.required_pull_request_reviews;
    // JSON round trip: what the client receives, without the undefined keys
    return JSON.parse(
      JSON.stringify({
        ...body,
        url: base,
        required_status_checks: checks
          ? {
              url: `${base}/required_status_checks`,
              strict: checks.strict,
              contexts: checks.contexts ?? [],
              contexts_url: `${base}/required_status_checks/contexts`,
              checks: (checks.contexts ?? []).map((context: string) => ({
                context,
                app_id: null,
              })),
            }
          : undefined,
        restrictions: undefined,
        required_pull_request_reviews: reviews
          ? {
              url: `${base}/required_pull_request_reviews`,
              dismiss_stale_reviews: reviews.dismiss_stale_reviews === true,
              require_code_owner_reviews:
                reviews.require_code_owner_reviews === true,
              required_approving_review_count:
                reviews.required_approving_review_count ?? 0,
              require_last_push_approval:
                reviews.require_last_push_approval === true,
            }
          : undefined,
        required_signatures: {
          url: `${base}/required_signatures`,
          enabled: false,
        },
        enforce_admins: {
          url: `${base}/enforce_admins`,
          enabled: json.enforce_admins === true,
        },
        required_linear_history: enabled(json.required_linear_history),
        allow_force_pushes: enabled(json.allow_force_pushes),
        allow_deletions: enabled(json.allow_deletions),
        block_creations: enabled(json.block_creations),
        required_conversation_resolution: enabled(
          json.required_conversation_resolution,
        ),
        lock_branch: enabled(json.lock_branch),
        allow_fork_syncing: enabled(json.allow_fork_syncing),
      }),
    );
  }

  /** Git smart HTTP, answered by `git http-backend` on the bare repository. */
  private async git(request: Request) {
    const url = new URL(request.url);
    const record = (status: number) =>
      this.gitExchanges.push({
        method: request.method,
        path: url.pathname,
        query: url.search.slice(1),
        status,
      });
    const m = decodeURIComponent(url.pathname).match(GIT_PATH);
    const repo = m && this.repository(m[1], m[2]);
    if (
      !basicPassword(request.headers.get('authorization'), this.options.token)
    ) {
      // GitHub asks for credentials before it says whether a repository exists.
      record(401);
      return new HttpResponse('Authentication required\n', {
        status: 401,
        headers: { 'WWW-Authenticate': 'Basic realm="GitHub"' },
      });
    }
    if (!m || !repo) {
      record(404);
      return new HttpResponse('Repository not found.\n', { status: 404 });
    }
    const body = ['GET', 'HEAD'].includes(request.method)
      ? Buffer.alloc(0)
      : Buffer.from(await request.arrayBuffer());
    const cgi = await runHttpBackend({
      root: this.options.root,
      method: request.method,
      pathInfo: `/${repo.owner}/${repo.name}.git${m[3]}`,
      query: url.search.slice(1),
      contentType: request.headers.get('content-type') ?? '',
      contentEncoding: request.headers.get('content-encoding'),
      body,
    });
    record(cgi.status);
    return new HttpResponse(new Uint8Array(cgi.body), {
      status: cgi.status,
      headers: cgi.headers,
    });
  }
}

/** The example with every occurrence of each key replaced by its value. */
function renamed(value: unknown, names: Record<string, string>): any {
  let text = JSON.stringify(value);
  for (const [from, to] of Object.entries(names)) {
    text = text.split(from).join(to);
  }
  return JSON.parse(text);
}

/** A stable numeric id for a login. */
function loginId(login: string): number {
  return [...login].reduce((n, c) => (n * 31 + c.charCodeAt(0)) % 1e8, 7);
}

function hasBranch(gitDir: string, branch: string): boolean {
  try {
    execFileSync(
      'git',
      ['rev-parse', '--verify', '-q', `refs/heads/${branch}`],
      {
        cwd: gitDir,
        stdio: 'ignore',
      },
    );
    return true;
  } catch {
    return false;
  }
}

/** True when the Authorization header is Basic auth with that password. */
function basicPassword(header: string | null, password: string): boolean {
  const m = header?.match(/^Basic\s+(.+)$/i);
  if (!m) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1) === password;
}

/**
 * Runs `git http-backend` as a CGI program and parses its output: headers up
 * to a blank line (`Status:` gives the status), then the binary body.
 */
function runHttpBackend(req: {
  root: string;
  method: string;
  pathInfo: string;
  query: string;
  contentType: string;
  contentEncoding: string | null;
  body: Buffer;
}): Promise<{ status: number; headers: Headers; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        HOME: req.root,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_PROJECT_ROOT: req.root,
        GIT_HTTP_EXPORT_ALL: '1',
        REMOTE_USER: 'x-access-token',
        REQUEST_METHOD: req.method,
        PATH_INFO: req.pathInfo,
        QUERY_STRING: req.query,
        CONTENT_TYPE: req.contentType,
        CONTENT_LENGTH: String(req.body.length),
        ...(req.contentEncoding
          ? { HTTP_CONTENT_ENCODING: req.contentEncoding }
          : {}),
      },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', code => {
      if (code !== 0) {
        reject(
          new Error(
            `git http-backend ${req.method} ${
              req.pathInfo
            } exited ${code}: ${Buffer.concat(err)}`,
          ),
        );
        return;
      }
      try {
        resolve(parseCgi(Buffer.concat(out)));
      } catch (e) {
        reject(e);
      }
    });
    child.stdin.end(req.body);
  });
}

function parseCgi(output: Buffer) {
  const crlf = output.indexOf('\r\n\r\n');
  const lf = output.indexOf('\n\n');
  const [end, gap] = crlf >= 0 && (lf < 0 || crlf < lf) ? [crlf, 4] : [lf, 2];
  if (end < 0) {
    throw new Error('git http-backend wrote no header block');
  }
  const headers = new Headers();
  let status = 200;
  for (const line of output
    .subarray(0, end)
    .toString('latin1')
    .split(/\r?\n/)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = parseInt(value, 10);
    else headers.append(name, value);
  }
  return { status, headers, body: output.subarray(end + gap) };
}
