/* eslint-disable no-console */
// yarn bench:publish — counts the GitHub API requests needed to publish an
// environment of 12 and of 60 files: epicshelter:gitops:publish against the
// built-in publish:github:pull-request, both against the same msw fake GitHub;
// then the requests and plan time of a decommission (scripts/bench-decommission.ts)
// and the time of a promotion (scripts/bench-promote.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setupServer } from 'msw/node';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createPublishGithubPullRequestAction } from '@backstage/plugin-scaffolder-backend-module-github';
// The action factory and the plugin's fake GitHub and client tuning are test seams, not public API; the benchmark drives them directly.
/* eslint-disable @backstage/no-forbidden-package-imports */
import { createGitOpsPublishAction } from '@epicshelter/plugin-scaffolder-backend-module-gitops/src/actions/publish';
import { FakeGithub } from '@epicshelter/plugin-scaffolder-backend-module-gitops/src/__testUtils__/fakeGithub';
import { fastGithubTuning } from '@epicshelter/plugin-scaffolder-backend-module-gitops/src/__testUtils__/tuning';
import { benchContext } from './benchContext';
import { benchPromote } from './bench-promote';
import { benchDecommission } from './bench-decommission';

function workspace(files: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-publish-'));
  for (let i = 0; i < files; i++) {
    const p = path.join(
      dir,
      'gitops/environments/bench/infrastructure',
      `file-${i}.yaml`,
    );
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(
      p,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: f${i}\n  namespace: bench\n`,
    );
  }
  return dir;
}

async function main() {
  const server = setupServer();
  server.listen({ onUnhandledRequest: 'error' });
  const config = new ConfigReader({
    integrations: { github: [{ host: 'github.com', token: 'ghp_test_token' }] },
    gitops: {
      repository: 'https://github.com/epicshelter/gitops',
      defaultBranch: 'main',
      pullRequest: { labels: ['environment'] },
    },
  });
  const integrations = ScmIntegrations.fromConfig(config);
  const ours = createGitOpsPublishAction({
    config,
    integrations,
    githubTuning: fastGithubTuning(),
  });
  const builtin = createPublishGithubPullRequestAction({
    integrations,
    config,
  });

  const rows: Array<{ files: number; ours: number; builtin: number }> = [];
  for (const files of [12, 60]) {
    const ws = workspace(files);

    const a = new FakeGithub();
    server.resetHandlers(...a.handlers());
    await ours.handler(
      benchContext(ws, { environment: 'bench', sourcePath: 'gitops' }),
    );
    const oursCount = a.exchanges.length;
    if (a.pulls.length !== 1)
      throw new Error('ours did not open exactly one pull request');

    const b = new FakeGithub();
    server.resetHandlers(...b.handlers());
    await builtin.handler(
      benchContext(ws, {
        repoUrl: 'github.com?owner=epicshelter&repo=gitops',
        branchName: 'epicshelter/bench',
        targetBranchName: 'main',
        title: 'Environment bench',
        description: 'bench',
        sourcePath: 'gitops',
      }),
    );
    const builtinCount = b.exchanges.length;
    if (b.pulls.length !== 1)
      throw new Error('built-in did not open exactly one pull request');
    rows.push({ files, ours: oursCount, builtin: builtinCount });
    fs.rmSync(ws, { recursive: true, force: true });
  }

  console.log(
    'GitHub API requests to publish one environment (one commit + one pull request + labels)',
  );
  console.log(
    'files | epicshelter:gitops:publish | publish:github:pull-request | ratio built-in/ours',
  );
  for (const r of rows) {
    console.log(
      `${String(r.files).padStart(5)} | ${String(r.ours).padStart(
        26,
      )} | ${String(r.builtin).padStart(27)} | ${(r.builtin / r.ours).toFixed(
        1,
      )}x`,
    );
  }
  const target = rows.every(r => r.ours <= 6) && rows[0].ours === rows[1].ours;
  console.log(
    `target (ours <= 6, same for 12 and 60 files): ${
      target ? 'met' : 'NOT met'
    }`,
  );
  if (!target) process.exitCode = 1;
  await benchDecommission(server);
  server.close();
  await benchPromote();
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
