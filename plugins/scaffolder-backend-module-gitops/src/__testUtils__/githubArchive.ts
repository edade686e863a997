import { execFileSync } from 'node:child_process';
import { http, HttpResponse } from 'msw';
import { githubOpenApi } from './githubOpenApi';

/** One request the fake answered. */
export type ArchiveExchange = {
  method: string;
  url: string;
  /** OpenAPI path template, or `codeload` for the archive download. */
  operation: string;
  status: number;
  authorization: string | null;
  body: unknown;
};

const API = 'https://api.github.com';
const CODELOAD = 'https://codeload.github.com';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/**
 * A GitHub repository, backed by a real local git repository, answering what
 * `GithubUrlReader.readTree` of `@backstage/backend-defaults` asks for:
 * `GET /repos/{owner}/{repo}/commits/{ref}/status` (the combined status, whose
 * `sha` and `repository.archive_url` it uses), then
 * `GET /repos/{owner}/{repo}/tarball/{sha}`, which GitHub answers with a 302 to
 * codeload.github.com serving `git archive` output (a gzipped tar with one
 * top-level folder `<owner>-<repo>-<short sha>/`).
 */
export class GithubArchiveFake {
  readonly exchanges: ArchiveExchange[] = [];
  validTokens = new Set(['ghp_test_token']);

  constructor(
    readonly repoDir: string,
    readonly owner = 'epicshelter',
    readonly repo = 'gitops',
    /** The host's API and archive download origins (GitHub Enterprise: its own). */
    readonly hosts: { api: string; codeload: string } = {
      api: API,
      codeload: CODELOAD,
    },
  ) {}

  /** The commit a ref names in the backing repository, or undefined. */
  resolve(ref: string): string | undefined {
    try {
      return execFileSync(
        'git',
        ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`],
        { cwd: this.repoDir, encoding: 'utf8', stdio: 'pipe' },
      ).trim();
    } catch {
      return undefined;
    }
  }

  private record(
    request: Request,
    operation: string,
    status: number,
    body?: unknown,
  ) {
    this.exchanges.push({
      method: request.method,
      url: request.url,
      operation,
      status,
      authorization: request.headers.get('authorization'),
      body,
    });
  }

  private unauthorized(request: Request, operation: string) {
    const token = (request.headers.get('authorization') ?? '').replace(
      /^(token|bearer)\s+/i,
      '',
    );
    if (this.validTokens.has(token)) return undefined;
    const body = {
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401',
    };
    this.record(request, operation, 401, body);
    return HttpResponse.json(body, { status: 401 });
  }

  private notFound(request: Request, operation: string, message: string) {
    const body = {
      message,
      documentation_url: 'https://docs.github.com/rest',
      status: '404',
    };
    this.record(request, operation, 404, body);
    return HttpResponse.json(body, { status: 404 });
  }

  private combinedStatus(sha: string) {
    const repoApi = `${this.hosts.api}/repos/${this.owner}/${this.repo}`;
    const body = clone(
      githubOpenApi().components.examples['combined-commit-status'].value,
    );
    // No CI statuses reported: GitHub says "pending" with an empty list.
    body.state = 'pending';
    body.statuses = [];
    body.total_count = 0;
    body.sha = sha;
    body.commit_url = `${repoApi}/commits/${sha}`;
    body.url = `${repoApi}/commits/${sha}/status`;
    const example = body.repository;
    const from = `${example.owner.login}/${example.name}`;
    const to = `${this.owner}/${this.repo}`;
    body.repository = JSON.parse(
      JSON.stringify(example)
        .split(from)
        .join(to)
        // the repository's API links (archive_url, ...) on this host
        .split(API)
        .join(this.hosts.api),
    );
    body.repository.name = this.repo;
    body.repository.full_name = to;
    body.repository.private = true;
    body.repository.owner.login = this.owner;
    body.repository.owner.type = 'Organization';
    return body;
  }

  /** The msw handlers; pass them to `setupServer` / `server.use`. */
  handlers() {
    const statusOp = '/repos/{owner}/{repo}/commits/{ref}/status';
    const tarballOp = '/repos/{owner}/{repo}/tarball/{ref}';
    return [
      http.get(
        `${this.hosts.api}/repos/:owner/:repo/commits/:ref/status`,
        ({ request, params }) => {
          const denied = this.unauthorized(request, statusOp);
          if (denied) return denied;
          if (params.owner !== this.owner || params.repo !== this.repo) {
            return this.notFound(request, statusOp, 'Not Found');
          }
          const ref = decodeURIComponent(String(params.ref));
          const sha = this.resolve(ref);
          if (!sha) {
            return this.notFound(
              request,
              statusOp,
              `No commit found for SHA: ${ref}`,
            );
          }
          const body = this.combinedStatus(sha);
          this.record(request, statusOp, 200, body);
          return HttpResponse.json(body);
        },
      ),
      http.get(
        `${this.hosts.api}/repos/:owner/:repo/tarball/:ref`,
        ({ request, params }) => {
          const denied = this.unauthorized(request, tarballOp);
          if (denied) return denied;
          const ref = decodeURIComponent(String(params.ref));
          if (
            params.owner !== this.owner ||
            params.repo !== this.repo ||
            !this.resolve(ref)
          ) {
            return this.notFound(request, tarballOp, 'Not Found');
          }
          this.record(request, tarballOp, 302);
          return new HttpResponse(null, {
            status: 302,
            headers: {
              Location: `${this.hosts.codeload}/${this.owner}/${this.repo}/legacy.tar.gz/${ref}?token=codeload-token`,
            },
          });
        },
      ),
      http.get(
        `${this.hosts.codeload}/:owner/:repo/legacy.tar.gz/:ref`,
        ({ request, params }) => {
          const ref = decodeURIComponent(String(params.ref));
          const sha = this.resolve(ref);
          if (!sha) {
            this.record(request, 'codeload', 404);
            return new HttpResponse('Not Found', { status: 404 });
          }
          const archive = execFileSync(
            'git',
            [
              'archive',
              '--format=tar.gz',
              `--prefix=${this.owner}-${this.repo}-${sha.slice(0, 7)}/`,
              sha,
            ],
            { cwd: this.repoDir, maxBuffer: 64 * 1024 * 1024 },
          );
          this.record(request, 'codeload', 200);
          return new HttpResponse(archive, {
            status: 200,
            headers: {
              'Content-Type': 'application/x-gzip',
              'Content-Disposition': `attachment; filename=${this.owner}-${
                this.repo
              }-${sha.slice(0, 7)}.tar.gz`,
              ETag: `"${sha}"`,
            },
          });
        },
      ),
    ];
  }
}
