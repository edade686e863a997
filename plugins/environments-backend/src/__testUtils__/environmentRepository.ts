import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { http, HttpResponse, passthrough } from 'msw';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { environmentEntities } from '@epicshelter/plugin-catalog-backend-module-gitops';
import {
  EnvironmentSpec,
  generateEnvironment,
} from '@epicshelter/plugin-gitops-common';
import environmentsPlugin from '../index';

/** msw handlers: the test backend's own calls pass; Argo CD and Crossplane are down, the scaffolder has no task. */
export const portalWithoutLiveState = [
  http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()),
  http.get('*/api/epicshelter-argocd/*', () =>
    HttpResponse.json({ error: { message: 'down' } }, { status: 503 }),
  ),
  http.get('*/api/epicshelter-crossplane/*', () =>
    HttpResponse.json({ error: { message: 'down' } }, { status: 503 }),
  ),
  http.get('*/api/scaffolder/v2/tasks', () =>
    HttpResponse.json({ tasks: [], totalTasks: 0 }),
  ),
];

/** Runs git in `cwd` and returns its trimmed output. */
export const git = (cwd: string, ...args: string[]) =>
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
    { cwd, encoding: 'utf8' },
  ).trim();

/** Writes the files the generator renders for `spec` into the working tree of `repo`. */
export function writeEnvironment(repo: string, spec: EnvironmentSpec) {
  for (const [p, content] of Object.entries(generateEnvironment(spec))) {
    fs.mkdirSync(path.dirname(path.join(repo, p)), { recursive: true });
    fs.writeFileSync(path.join(repo, p), content);
  }
}

/** A git repository `<root>/gitops` on main with `spec`'s environment committed. */
export function initEnvironmentRepository(
  root: string,
  spec: EnvironmentSpec,
): string {
  const repo = path.join(root, 'gitops');
  fs.mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  writeEnvironment(repo, spec);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', `Environment ${spec.name}`);
  return repo;
}

/** The environments backend on the local repository `repo`, with `spec`'s environment in the catalog. */
export async function startLocalEnvironmentsBackend(
  repo: string,
  spec: EnvironmentSpec,
) {
  const { server } = await startTestBackend({
    features: [
      environmentsPlugin,
      catalogServiceMock.factory({
        entities: environmentEntities(spec, {
          kind: 'local',
          location: repo,
          branch: 'main',
          branchPrefix: 'epicshelter/',
        }),
      }),
      mockServices.rootConfig.factory({
        data: { gitops: { repository: repo } },
      }),
    ],
  });
  return server;
}
