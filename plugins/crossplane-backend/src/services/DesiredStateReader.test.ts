import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ConfigReader } from '@backstage/config';
import { DefaultGitOpsRepositoryService } from '@epicshelter/plugin-gitops-node';
import { DesiredStateReader } from './DesiredStateReader';

const claim = (
  name: string,
  resource: string,
) => `apiVersion: platform.epicshelter.io/v1alpha1
kind: Database
metadata:
  name: ${name}
  namespace: dev
  labels:
    epicshelter.io/environment: dev
    epicshelter.io/resource: ${resource}
spec:
  crossplane:
    compositionSelector:
      matchLabels:
        platform.epicshelter.io/provider: aws
`;

describe('DesiredStateReader', () => {
  let dir: string;
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
      { cwd: dir },
    );
  const commit = (file: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
    git('add', '-A');
    git('commit', '-q', '-m', file);
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desired-state-'));
    git('init', '-q', '-b', 'main');
    commit('envs/dev/infra/old.yaml', claim('dev-old-db', 'old-db'));
    git('checkout', '-q', '-b', 'trunk');
    commit('envs/dev/infra/orders.yaml', claim('dev-orders-db', 'orders-db'));
    commit('envs/dev/infra/kustomization.yaml', 'resources: []\n');
    // on disk only: never committed
    fs.writeFileSync(
      path.join(dir, 'envs/dev/infra/draft.yaml'),
      claim('dev-draft-db', 'draft-db'),
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const reader = (crossplane: object) => {
    const config = new ConfigReader({
      gitops: { repository: dir, defaultBranch: 'trunk' },
      crossplane,
    });
    return DesiredStateReader.fromConfig(config, {
      repository: () =>
        DefaultGitOpsRepositoryService.fromConfig(config).configured(),
    });
  };

  it('reads the configured path at the head of the configured default branch', async () => {
    const desired = await reader({
      desiredStatePath: 'envs/{environment}/infra',
    }).read('dev', undefined);
    expect(desired.error).toBeUndefined();
    expect(desired.resources.map(r => [r.name, r.path, r.provider])).toEqual([
      ['dev-old-db', 'envs/dev/infra/old.yaml', 'aws'],
      ['dev-orders-db', 'envs/dev/infra/orders.yaml', 'aws'],
    ]);
    expect(desired.source).toMatch(/^envs\/dev\/infra at [0-9a-f]{7}$/);
    expect(desired.source).not.toContain(dir);
  });

  it('reports a repository the service cannot read as the desired side’s error', async () => {
    const config = new ConfigReader({
      gitops: { repository: 'https://bitbucket.example.com/platform/gitops' },
    });
    const desired = await DesiredStateReader.fromConfig(config, {
      repository: () =>
        DefaultGitOpsRepositoryService.fromConfig(config).configured(),
    }).read('dev', undefined);
    expect(desired.resources).toEqual([]);
    expect(desired.error).toMatch(
      /^Cannot read the GitOps repository: gitops.repository "https:\/\/bitbucket.example.com\/platform\/gitops" must be/,
    );
  });

  it('says which folder is missing, and refuses a path without {environment}', async () => {
    expect(await reader({}).read('dev', undefined)).toEqual({
      resources: [],
      error:
        "The GitOps repository has no environments/dev/infrastructure/ (environment 'dev' not generated yet?)",
    });
    expect(() => reader({ desiredStatePath: 'envs/infra' })).toThrow(
      /crossplane.desiredStatePath "envs\/infra" must contain \{environment\}/,
    );
  });
});
