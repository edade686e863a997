import { ConfigReader } from '@backstage/config';
import { readGitOpsConfig } from './config';

const read = (gitops: unknown) =>
  readGitOpsConfig(new ConfigReader({ gitops } as never), {
    cwd: '/srv/backstage',
  });

describe('readGitOpsConfig', () => {
  it('normalises a GitHub repository with defaults', () => {
    expect(read({ repository: 'https://github.com/acme/gitops.git' })).toEqual({
      kind: 'github',
      owner: 'acme',
      repo: 'gitops',
      url: 'https://github.com/acme/gitops',
      defaultBranch: 'main',
      branchPrefix: 'epicshelter/',
      pullRequest: { labels: [], reviewers: [], draft: false },
    });
  });

  it('resolves a local path against the working directory', () => {
    expect(
      read({
        repository: '../gitops',
        defaultBranch: 'trunk',
        pullRequest: { labels: ['env'], draft: true },
      }),
    ).toMatchObject({
      kind: 'local',
      path: '/srv/gitops',
      defaultBranch: 'trunk',
      pullRequest: { labels: ['env'], reviewers: [], draft: true },
    });
  });

  it('accepts a repository on a GitHub Enterprise host of integrations.github', () => {
    const config = new ConfigReader({
      integrations: {
        github: [
          {
            host: 'ghe.example.com',
            apiBaseUrl: 'https://ghe.example.com/api/v3',
          },
        ],
      },
      gitops: { repository: 'https://ghe.example.com/platform/gitops.git' },
    });
    expect(readGitOpsConfig(config)).toMatchObject({
      kind: 'github',
      owner: 'platform',
      repo: 'gitops',
      url: 'https://ghe.example.com/platform/gitops',
    });
    // a host without a GitHub integration is not taken for GitHub
    expect(() =>
      readGitOpsConfig(
        new ConfigReader({
          gitops: { repository: 'https://ghe.example.com/platform/gitops' },
        }),
      ),
    ).toThrow(/must be https:\/\/github.com/);
  });

  it('accepts a GitLab project on gitlab.com or a host of integrations.gitlab, subgroups included', () => {
    expect(read({ repository: 'https://gitlab.com/acme/gitops' })).toEqual({
      kind: 'gitlab',
      owner: 'acme',
      repo: 'gitops',
      url: 'https://gitlab.com/acme/gitops',
      defaultBranch: 'main',
      branchPrefix: 'epicshelter/',
      pullRequest: { labels: [], reviewers: [], draft: false },
    });
    const config = new ConfigReader({
      integrations: { gitlab: [{ host: 'gitlab.example.com' }] },
      gitops: {
        repository: 'https://gitlab.example.com/platform/infra/gitops.git',
      },
    });
    expect(readGitOpsConfig(config)).toMatchObject({
      kind: 'gitlab',
      owner: 'platform/infra',
      repo: 'gitops',
      url: 'https://gitlab.example.com/platform/infra/gitops',
    });
  });

  it.each([
    [
      { repository: 'https://git.example.com/a/b' },
      /gitops.repository .* must be https:\/\/github.com/,
    ],
    [{ repository: '' }, /gitops.repository/],
    [{ repository: 'x', defaultBranch: 'a b' }, /gitops.defaultBranch/],
    [{ repository: 'x', branchPrefix: '../' }, /gitops.branchPrefix/],
  ])('rejects %j', (gitops, message) => {
    expect(() => read(gitops)).toThrow(message);
  });

  it('requires the repository key', () => {
    expect(() => read({})).toThrow(/gitops.repository/);
  });
});
