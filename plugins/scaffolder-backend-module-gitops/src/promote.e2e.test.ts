import { createMockDirectory } from '@backstage/backend-test-utils';
import { git } from './__testUtils__/localRepo';
import { webEnvironment } from './__testUtils__/platformFixture';
import { lastMessages, runTask } from './__testUtils__/scaffolderBackend';
import { runOnRepository } from './__testUtils__/taskOnRepository';
import {
  ALICE,
  LINUS,
  startOnLocalRepository,
} from './__testUtils__/gitopsBackend';

jest.setTimeout(180_000);

/**
 * Who may promote into an environment, through the scaffolder REST API, with
 * the real templates/promote-workload template: the real scaffolder, catalog and permission backends with the Epicshelter
 * policy; staging is owned by platform-team in the catalog.
 */
describe('epicshelter:environment:promote through the scaffolder REST API', () => {
  const dir = createMockDirectory();
  let server: any;
  let repo: string;

  beforeAll(async () => {
    ({ server, repo } = await startOnLocalRepository(
      dir.path,
      {
        ...webEnvironment('dev', 'group:default/checkout-team', {
          workloadOverrides: { web: { imageTag: '2.0.0' } },
        }),
        ...webEnvironment('staging', 'group:default/platform-team', {
          workloadOverrides: { web: { imageTag: '1.0.0' } },
        }),
      },
      'promote-workload',
    ));
  });

  const promote = (user: string, values: Record<string, unknown> = {}) =>
    runTask(
      server,
      'template:default/promote-workload',
      {
        from: 'resource:default/dev',
        to: 'resource:default/staging',
        workloads: ['web'],
        ...values,
      },
      user,
    );

  it('previews the rendered diff in the task output and proposes nothing', async () => {
    const run = await runOnRepository(repo, () =>
      promote(LINUS, { previewOnly: true }),
    );
    expect(run).toMatchObject({ status: 'completed', unchanged: true });
    expect(run.text[0].title).toBe('Rendered diff');
    expect(run.text[0].content).toContain(
      '-          image: ghcr.io/epicshelter/web:1.0.0\n+          image: ghcr.io/epicshelter/web:2.0.0',
    );
  });

  it('refuses a user who does not own the target, and writes nothing', async () => {
    expect(await runOnRepository(repo, () => promote(ALICE))).toMatchObject({
      status: 'failed',
      failure:
        "You may not promote web from 'dev' to environment 'staging': it is owned by group:default/platform-team, and only its owners and platform admins may change it. Nothing was changed; ask group:default/platform-team to make the change.",
      unchanged: true,
    });
  });

  it('lets a member of the owning group promote, in one commit of the target overlay', async () => {
    const { status, events } = await promote(LINUS);
    expect({ status, log: lastMessages(events) }).toMatchObject({
      status: 'completed',
    });
    expect(
      git(repo, 'show', '--name-only', '--format=', 'main').split('\n'),
    ).toEqual([
      'environments/staging/environment.yaml',
      'environments/staging/workloads/kustomization.yaml',
    ]);
    expect(
      git(
        repo,
        'show',
        'main',
        '--',
        'environments/staging/workloads/kustomization.yaml',
      ),
    ).toContain('+    newTag: 2.0.0');
  });
});
