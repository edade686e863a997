/* eslint-disable no-console */
// Part of yarn bench:publish — the time of one promotion: plan and render
// (epicshelter:environment:promote: read the repository, plan the overlay
// change, kustomize-build the target's workloads before and after and diff
// them) and publish (epicshelter:gitops:publish: one commit to a local
// repository), for a target environment of 59 files (a cloud one with 20 workloads).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
// The action factories and the plugin's test fixtures are test seams, not public API; the benchmark drives them directly.
/* eslint-disable @backstage/no-forbidden-package-imports */
import { createEnvironmentPromoteAction } from '@epicshelter/plugin-scaffolder-backend-module-gitops/src/actions/promote';
import { createGitOpsPublishAction } from '@epicshelter/plugin-scaffolder-backend-module-gitops/src/actions/publish';
import { allowEveryone } from '@epicshelter/plugin-scaffolder-backend-module-gitops/src/__testUtils__/authorizers';
import { platformFixture } from '@epicshelter/plugin-scaffolder-backend-module-gitops/src/__testUtils__/platformFixture';
import { seedRepository } from '@epicshelter/plugin-scaffolder-backend-module-gitops/src/__testUtils__/localRepo';
import { benchContext } from './benchContext';
import {
  RUNS,
  WORKLOADS,
  appBase,
  benchEnvironment as environment,
  median,
} from './benchEnvironments';

/** Runs the promotion RUNS times on fresh repositories and prints the median times. */
export async function benchPromote(): Promise<void> {
  const staging = environment('staging', '2.0.0');
  const prod = environment('prod', '1.0.0', true);
  const prodFiles = Object.keys(prod).length;
  const plan: number[] = [];
  const publish: number[] = [];
  let diffLines = 0;
  for (let run = 0; run < RUNS; run++) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-promote-'));
    const repo = path.join(root, 'gitops');
    seedRepository(repo, {
      ...platformFixture(),
      ...Object.assign({}, ...WORKLOADS.map(appBase)),
      ...staging,
      ...prod,
    });
    const config = new ConfigReader({
      gitops: { repository: repo, defaultBranch: 'main' },
    });
    const integrations = ScmIntegrations.fromConfig(config);
    const ws = path.join(root, 'ws');
    fs.mkdirSync(ws);
    const outputs: Record<string, unknown> = {};

    const t0 = performance.now();
    await createEnvironmentPromoteAction({
      config,
      integrations,
      authorizer: allowEveryone,
    }).handler(benchContext(ws, { from: 'staging', to: 'prod' }, outputs));
    const t1 = performance.now();
    await createGitOpsPublishAction({ config, integrations }).handler(
      benchContext(ws, {
        environment: 'prod',
        sourcePath: 'gitops',
        title: outputs.title,
        description: outputs.body,
      }),
    );
    const t2 = performance.now();

    const changed = execFileSync(
      'git',
      ['show', '--name-only', '--format=', 'main'],
      { cwd: repo, encoding: 'utf8' },
    ).trim();
    if (
      changed !==
      'environments/prod/environment.yaml\nenvironments/prod/workloads/kustomization.yaml'
    ) {
      throw new Error(`the promotion committed unexpected files: ${changed}`);
    }
    plan.push(t1 - t0);
    publish.push(t2 - t1);
    diffLines = String(outputs.diff).split('\n').length;
    fs.rmSync(root, { recursive: true, force: true });
  }
  console.log('');
  console.log(
    `Promote ${WORKLOADS.length} workloads from staging to prod (prod: ${prodFiles} files; rendered diff ${diffLines} lines), median of ${RUNS} runs on a local repository`,
  );
  console.log(
    `plan + render diff: ${median(plan).toFixed(
      0,
    )} ms | publish (one commit): ${median(publish).toFixed(0)} ms | total: ${(
      median(plan) + median(publish)
    ).toFixed(0)} ms`,
  );
}
