import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { computeLifecycle } from '@epicshelter/plugin-environments-common';
import { DefaultGitOpsRepositoryService } from '@epicshelter/plugin-gitops-node';
import { gitOpsRepositoryReader } from './repository';

const readerFor = (config: ConfigReader) =>
  gitOpsRepositoryReader(
    DefaultGitOpsRepositoryService.fromConfig(config).configured()!,
  );
const localReader = (dir: string, defaultBranch: string) =>
  readerFor(new ConfigReader({ gitops: { repository: dir, defaultBranch } }));

const server = setupServer();
const API = 'https://api.github.com/repos/acme/gitops';

describe('gitOpsRepositoryReader on GitHub', () => {
  registerMswTestHooks(server);
  const reader = () =>
    readerFor(
      new ConfigReader({
        integrations: { github: [{ host: 'github.com', token: 'ghp_secret' }] },
        gitops: { repository: 'https://github.com/acme/gitops' },
      }),
    );

  it('reads head, compare counts, the first commit (last page) and an open pull request', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${API}/commits/main`, ({ request }) => {
        seen.push(request.headers.get('authorization')!);
        return HttpResponse.json({ sha: 'h'.repeat(40) });
      }),
      http.get(`${API}/compare/:spec`, ({ params }) => {
        expect(params.spec).toBe(`${'h'.repeat(40)}...${'r'.repeat(40)}`);
        return HttpResponse.json({
          status: 'behind',
          ahead_by: 0,
          behind_by: 4,
        });
      }),
      http.get(`${API}/commits`, ({ request }) => {
        const url = new URL(request.url);
        expect(url.searchParams.get('path')).toBe(
          'environments/dev/environment.yaml',
        );
        if (url.searchParams.get('page') === '3') {
          return HttpResponse.json([
            {
              sha: 'b'.repeat(40),
              html_url: 'https://github.com/acme/gitops/commit/b',
              commit: {
                message: 'later',
                committer: { date: '2026-01-02T00:00:00Z' },
              },
            },
            {
              sha: 'a'.repeat(40),
              html_url: 'https://github.com/acme/gitops/commit/a',
              commit: {
                message: 'Add environment dev\n\nbody',
                committer: { date: '2026-01-01T00:00:00Z' },
              },
            },
          ]);
        }
        return HttpResponse.json([], {
          headers: {
            link: `<${API}/commits?page=2>; rel="next", <${API}/commits?path=x&page=3>; rel="last"`,
          },
        });
      }),
      http.get(`${API}/pulls`, ({ request }) => {
        expect(new URL(request.url).searchParams.get('head')).toBe(
          'acme:epicshelter/dev',
        );
        return HttpResponse.json([
          {
            number: 12,
            html_url: 'https://github.com/acme/gitops/pull/12',
            state: 'open',
            draft: false,
            created_at: '2026-01-01T09:00:00Z',
            merged_at: null,
          },
        ]);
      }),
    );
    const r = reader();
    expect(await r.head()).toEqual({
      sha: 'h'.repeat(40),
      url: `https://github.com/acme/gitops/commit/${'h'.repeat(40)}`,
    });
    expect(await r.compare('h'.repeat(40), 'r'.repeat(40))).toEqual({
      aheadBy: 0,
      behindBy: 4,
    });
    expect(await r.firstCommit('environments/dev/environment.yaml')).toEqual({
      sha: 'a'.repeat(40),
      at: '2026-01-01T00:00:00Z',
      message: 'Add environment dev',
      url: 'https://github.com/acme/gitops/commit/a',
    });
    const change = await r.findChange('epicshelter/dev');
    expect(change).toEqual({
      kind: 'pull-request',
      number: 12,
      url: 'https://github.com/acme/gitops/pull/12',
      state: 'open',
      draft: false,
      createdAt: '2026-01-01T09:00:00Z',
    });
    expect(seen).toEqual(['Bearer ghp_secret']);

    // PR open, nothing on main yet: the lifecycle is blocked at merge.
    const lifecycle = computeLifecycle({
      environment: 'dev',
      changeBranch: 'epicshelter/dev',
      defaultBranch: 'main',
      change,
      expectedApplications: ['dev-workloads', 'dev-infrastructure'],
      applications: [],
      resources: [],
    });
    expect(lifecycle).toMatchObject({
      blockedAt: 'merged',
      reason:
        'Pull request #12 is open: waiting for review and merge into main',
    });
  });

  it('lists the apps with a base folder from two tree requests at the branch head', async () => {
    const tree = (sha: string, entries: Array<[string, 'tree' | 'blob']>) => ({
      sha,
      url: `${API}/git/trees/${sha}`,
      tree: entries.map(([p, type], i) => ({
        path: p,
        mode: type === 'tree' ? '040000' : '100644',
        type,
        sha: `${i}`.padStart(40, '0'),
        ...(type === 'blob' ? { size: 10 } : {}),
        url: `${API}/git/${type}s/${i}`,
      })),
      truncated: false,
    });
    server.use(
      http.get(`${API}/commits/main`, () =>
        HttpResponse.json({ sha: 'r'.repeat(40) }),
      ),
      http.get(`${API}/git/trees/:ref`, ({ params, request }) => {
        if (params.ref === 'r'.repeat(40)) {
          return HttpResponse.json(
            tree('r'.repeat(40), [
              ['README.md', 'blob'],
              ['apps', 'tree'],
              ['environments', 'tree'],
            ]),
          );
        }
        expect(params.ref).toBe('1'.padStart(40, '0'));
        expect(new URL(request.url).searchParams.get('recursive')).toBe('1');
        return HttpResponse.json(
          tree('a'.repeat(40), [
            ['storefront', 'tree'],
            ['storefront/base', 'tree'],
            ['storefront/base/kustomization.yaml', 'blob'],
            ['orders-api', 'tree'],
            ['orders-api/base', 'tree'],
            ['notes', 'tree'],
            ['notes/README.md', 'blob'],
            ['legacy', 'tree'],
            ['legacy/overlays/base', 'tree'],
          ]),
        );
      }),
    );
    expect(await reader().listApps()).toEqual(['orders-api', 'storefront']);
  });

  it('turns a 404 into a NotFoundError naming the repository', async () => {
    server.use(
      http.get(`${API}/compare/:spec`, () =>
        HttpResponse.json({ message: 'Not Found' }, { status: 404 }),
      ),
    );
    await expect(reader().compare('a', 'b')).rejects.toThrow(
      'GitHub acme/gitops: /compare/a...b not found',
    );
  });
});

describe('gitOpsRepositoryReader on a local repository', () => {
  let dir: string;
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
      { cwd: dir, encoding: 'utf8' },
    ).trim();

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-repository-'));
    git('init', '-q', '-b', 'main');
    git('commit', '-q', '--allow-empty', '-m', 'one');
    git('commit', '-q', '--allow-empty', '-m', 'two');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('counts commits and says briefly why a revision cannot be compared', async () => {
    const reader = localReader(dir, 'main');
    const { sha } = await reader.head();
    expect(await reader.compare(sha, git('rev-parse', 'HEAD~1'))).toEqual({
      aheadBy: 0,
      behindBy: 1,
    });
    const invented = 'ab'.repeat(20);
    await expect(reader.compare(sha, invented)).rejects.toThrow(
      `Commit ${invented} is not in the GitOps repository ${dir}: Argo CD deploys from another repository, or from history this copy does not have`,
    );
    await expect(localReader(dir, 'release').head()).rejects.toThrow(
      `refs/heads/release does not exist in the GitOps repository ${dir}`,
    );
  });
});

describe('gitOpsRepositoryReader.listApps on a local repository', () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists the folders of apps/ that have a base, as committed on the branch', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-apps-'));
    const git = (...args: string[]) =>
      execFileSync(
        'git',
        ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
        { cwd: dir, encoding: 'utf8' },
      ).trim();
    const write = (file: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), 'x\n');
    };
    git('init', '-q', '-b', 'main');
    const reader = localReader(dir, 'main');
    git('commit', '-q', '--allow-empty', '-m', 'empty');
    expect(await reader.listApps()).toEqual([]);
    write('apps/storefront/base/kustomization.yaml');
    write('apps/orders-api/base/deployment.yaml');
    write('apps/notes/README.md');
    git('add', '-A');
    git('commit', '-q', '-m', 'apps');
    write('apps/uncommitted/base/kustomization.yaml');
    expect(await reader.listApps()).toEqual(['orders-api', 'storefront']);
  });
});
