/* eslint-disable no-console */
// Part of yarn bench:publish — decommission: the GitHub API requests of one
// decommission change (epicshelter:environment:decommission, then
// epicshelter:gitops:publish as one pull request with one commit deleting
// the environment's folder) for an environment of 10 and of 59 files, and
// the time to plan it (read the repository, list what goes with its
// deletion policies, write the change) for the 59-file one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SetupServerApi } from 'msw/node';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
// The action factories and the plugin's test fixtures are test seams, not public API; the benchmark drives them directly.
/* eslint-disable @backstage/no-forbidden-package-imports */
import { createEnvironmentDecommissionAction } from '@epicshelter/plugin-scaffolder-backend-module-gitops/src/actions/decommission';
import { createGitOpsPublishAction } from '@epicshelter/plugin-scaffolder-backend-module-gitops/src/actions/publish';
import { allowEveryone } from '@epicshelter/plugin-scaffolder-backend-module-gitops/src/__testUtils__/authorizers';
import { FakeGithub } from '@epicshelter/plugin-scaffolder-backend-module-gitops/src/__testUtils__/fakeGithub';
import { platformFixture } from '@epicshelter/plugin-scaffolder-backend-module-gitops/src/__testUtils__/platformFixture';
import { seedRepository } from '@epicshelter/plugin-scaffolder-backend-module-gitops/src/__testUtils__/localRepo';
import { fastGithubTuning } from '@epicshelter/plugin-scaffolder-backend-module-gitops/src/__testUtils__/tuning';
import { benchContext } from './benchContext';
import {
  RUNS,
  WORKLOADS,
  appBase,
  benchEnvironment,
  median,
} from './benchEnvironments';

/** The repository of a decommission: the platform, the app bases and `env` beside a `keep` environment. */
function repositoryWith(env: Record<string, string>): Record<string, string> {
  return {
    ...platformFixture(),
    ...Object.assign({}, ...WORKLOADS.map(appBase)),
    ...benchEnvironment('keep', '1.0.0', false, { workloads: 1, resources: 1 }),
    ...env,
  };
}

/** Plans the decommission of `gone` from a local twin of `files`; returns the outputs and the time taken. */
async function plan(files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-decommission-'));
  const repo = path.join(root, 'gitops');
  seedRepository(repo, files);
  const config = new ConfigReader({
    gitops: { repository: repo, defaultBranch: 'main' },
  });
  const ws = path.join(root, 'ws');
  fs.mkdirSync(ws);
  const outputs: Record<string, unknown> = {};
  const t0 = performance.now();
  await createEnvironmentDecommissionAction({
    config,
    integrations: ScmIntegrations.fromConfig(config),
    authorizer: allowEveryone,
  }).handler(
    benchContext(
      ws,
      { environment: 'gone', confirmation: 'gone', previewOnly: false },
      outputs,
    ),
  );
  return { root, ws, outputs, ms: performance.now() - t0 };
}

/** GitHub requests of publishing the planned decommission as one pull request. */
async function githubRequests(
  server: SetupServerApi,
  files: Record<string, string>,
  ws: string,
  outputs: Record<string, unknown>,
): Promise<number> {
  const gh = new FakeGithub(files);
  server.resetHandlers(...gh.handlers());
  const config = new ConfigReader({
    integrations: { github: [{ host: 'github.com', token: 'ghp_test_token' }] },
    gitops: {
      repository: 'https://github.com/epicshelter/gitops',
      defaultBranch: 'main',
    },
  });
  await createGitOpsPublishAction({
    config,
    integrations: ScmIntegrations.fromConfig(config),
    githubTuning: fastGithubTuning(),
  }).handler(
    benchContext(ws, {
      environment: 'gone',
      sourcePath: 'gitops',
      title: outputs.title,
      description: outputs.body,
      baseCommit: gh.refs.get('main'),
    }),
  );
  if (gh.pulls.length !== 1) {
    throw new Error('the decommission did not open exactly one pull request');
  }
  const left = Object.keys(gh.filesOf(gh.pulls[0].head)).filter(p =>
    p.startsWith('environments/gone/'),
  );
  if (left.length > 0) {
    throw new Error(`the decommission left files behind: ${left.join(', ')}`);
  }
  return gh.exchanges.length;
}

/** Prints the GitHub requests per decommission (10 and 59 files) and the time to plan one of 59 files. */
export async function benchDecommission(server: SetupServerApi): Promise<void> {
  const sizes = [
    benchEnvironment('gone', '1.0.0', false, { workloads: 3, resources: 1 }),
    benchEnvironment('gone', '1.0.0', true),
  ];
  const rows: Array<{ files: number; requests: number; planMs: number[] }> = [];
  for (const env of sizes) {
    const files = repositoryWith(env);
    const planMs: number[] = [];
    let requests = 0;
    for (let run = 0; run < RUNS; run++) {
      const planned = await plan(files);
      planMs.push(planned.ms);
      if (run === 0) {
        requests = await githubRequests(
          server,
          files,
          planned.ws,
          planned.outputs,
        );
      }
      fs.rmSync(planned.root, { recursive: true, force: true });
    }
    rows.push({ files: Object.keys(env).length, requests, planMs });
  }
  console.log('');
  console.log(
    'Decommission: GitHub API requests of one change (one commit deleting the folder + one pull request) and the time to plan it, median of 5 runs on a local repository',
  );
  console.log('environment files | GitHub requests | plan + render');
  for (const r of rows) {
    console.log(
      `${String(r.files).padStart(17)} | ${String(r.requests).padStart(
        15,
      )} | ${median(r.planMs).toFixed(0)} ms`,
    );
  }
  const constant = rows.every(r => r.requests === rows[0].requests);
  console.log(
    `target (same number of GitHub requests for ${rows
      .map(r => r.files)
      .join(' and ')} files): ${constant ? 'met' : 'NOT met'}`,
  );
  if (!constant) process.exitCode = 1;
}
