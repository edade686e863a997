import { ConfigReader } from '@backstage/config';
import { DefaultGitOpsRepositoryService } from './GitOpsRepositoryService';

describe('DefaultGitOpsRepositoryService.configured', () => {
  it('is undefined without a gitops section', () => {
    expect(
      DefaultGitOpsRepositoryService.fromConfig(
        new ConfigReader({}),
      ).configured(),
    ).toBeUndefined();
  });

  it('refuses a repository no implementation reads only when asked, so other repositories still open', () => {
    const service = DefaultGitOpsRepositoryService.fromConfig(
      new ConfigReader({
        gitops: {
          repository: 'https://bitbucket.example.com/platform/gitops',
          defaultBranch: 'trunk',
        },
      }),
    );
    expect(() => service.configured()).toThrow(
      /gitops.repository "https:\/\/bitbucket.example.com\/platform\/gitops" must be/,
    );
    expect(service.open({ type: 'local', path: '/srv/gitops' })).toMatchObject({
      kind: 'local',
      location: '/srv/gitops',
      defaultBranch: 'trunk',
    });
    expect(() =>
      service.open({
        type: 'remote',
        integration: 'bitbucketServer',
        host: 'bitbucket.example.com',
        owner: 'platform',
        repo: 'gitops',
        url: 'https://bitbucket.example.com/platform/gitops',
      }),
    ).toThrow(
      'Cannot read the GitOps repository https://bitbucket.example.com/platform/gitops: reading bitbucketServer repositories is not supported (local git, GitHub and GitLab are)',
    );
  });
});
