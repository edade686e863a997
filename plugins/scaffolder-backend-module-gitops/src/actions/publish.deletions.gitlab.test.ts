import { setupServer } from 'msw/node';
import {
  createMockDirectory,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createGitOpsPublishAction } from './publish';
import { FakeGitlab } from '../__testUtils__/fakeGitlab';
import { writeChangeRecord } from '../publish/changeRecord';
import { writeDeletionRecord } from '../publish/deletionRecord';

const server = setupServer();
registerMswTestHooks(server);

const REPOSITORY = 'https://gitlab.example.com/platform/infra/gitops';

/**
 * A change that deletes files (a decommission) on GitLab: one commit with
 * delete actions for the files that exist, one merge request.
 */
describe('epicshelter:gitops:publish deleting files on GitLab', () => {
  it('deletes the recorded files in the one commit of the merge request', async () => {
    const gl = new FakeGitlab({
      files: {
        'README.md': '# GitOps\n',
        'environments/qa/environment.yaml': 'name: qa\n',
        'environments/qa/workloads/kustomization.yaml': 'resources: []\n',
        'orphaned/.gitkeep': '',
      },
    });
    server.use(...gl.handlers());
    const config = new ConfigReader({
      integrations: {
        gitlab: [
          {
            host: 'gitlab.example.com',
            apiBaseUrl: 'https://gitlab.example.com/api/v4',
            token: 'glpat-test-token',
          },
        ],
      },
      gitops: { repository: REPOSITORY, defaultBranch: 'main' },
    });
    const dir = createMockDirectory();
    dir.setContent({
      'gitops/orphaned/qa/database-orders-db-qa-orders-db.yaml':
        'kind: Database\n',
    });
    await writeDeletionRecord(dir.path, [
      'environments/qa/environment.yaml',
      'environments/qa/workloads/kustomization.yaml',
    ]);
    await writeChangeRecord(dir.path, {
      baseCommit: gl.branches.get('main')!,
      paths: ['environments/qa'],
      kind: 'changed',
    });
    await createGitOpsPublishAction({
      config,
      integrations: ScmIntegrations.fromConfig(config),
      gitlabTuning: { retries: 1, retryBaseMs: 1 },
    }).handler(
      createMockActionContext({
        workspacePath: dir.path,
        input: { environment: 'qa', sourcePath: 'gitops' } as any,
      }),
    );
    const commitRequest = gl.writes()[0].request as any;
    expect(
      commitRequest.actions.map((a: any) => [a.action, a.file_path]),
    ).toEqual([
      ['create', 'orphaned/qa/database-orders-db-qa-orders-db.yaml'],
      ['delete', 'environments/qa/environment.yaml'],
      ['delete', 'environments/qa/workloads/kustomization.yaml'],
    ]);
    expect(Object.keys(gl.filesOf('epicshelter/qa')).sort()).toEqual([
      'README.md',
      'orphaned/.gitkeep',
      'orphaned/qa/database-orders-db-qa-orders-db.yaml',
    ]);
    expect(gl.mergeRequests).toHaveLength(1);
    expect(gl.mergeRequests[0].description).toContain('### Deleted files (2)');
  });
});
