import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { parseRepositoryLocation, readPublishSettings } from './settings';

const config = new ConfigReader({
  integrations: {
    github: [
      { host: 'github.com' },
      { host: 'ghe.example.com', apiBaseUrl: 'https://ghe.example.com/api/v3' },
    ],
    gitlab: [
      {
        host: 'gitlab.example.com',
        apiBaseUrl: 'https://gitlab.example.com/api/v4',
      },
    ],
  },
});
const integrations = ScmIntegrations.fromConfig(config);
const parse = (value: string) => parseRepositoryLocation(value, integrations);

describe('parseRepositoryLocation', () => {
  it('resolves GitHub and GitHub Enterprise URLs and repoUrls', () => {
    expect(parse('https://github.com/acme/gitops.git')).toEqual({
      type: 'remote',
      integration: 'github',
      host: 'github.com',
      owner: 'acme',
      repo: 'gitops',
      url: 'https://github.com/acme/gitops',
    });
    expect(parse('https://ghe.example.com/platform/gitops/tree/main')).toEqual(
      expect.objectContaining({
        integration: 'github',
        host: 'ghe.example.com',
        url: 'https://ghe.example.com/platform/gitops',
      }),
    );
    expect(parse('ghe.example.com?owner=platform&repo=gitops')).toEqual(
      expect.objectContaining({
        integration: 'github',
        url: 'https://ghe.example.com/platform/gitops',
      }),
    );
  });

  it('keeps GitLab subgroups and drops the web path after /-/', () => {
    const expected = {
      type: 'remote',
      integration: 'gitlab',
      host: 'gitlab.example.com',
      owner: 'platform/infra',
      repo: 'gitops',
      url: 'https://gitlab.example.com/platform/infra/gitops',
    };
    expect(parse('https://gitlab.example.com/platform/infra/gitops')).toEqual(
      expected,
    );
    expect(
      parse('https://gitlab.example.com/platform/infra/gitops/-/tree/main'),
    ).toEqual(expected);
    expect(
      parse('gitlab.example.com?owner=platform/infra&repo=gitops'),
    ).toEqual(expected);
  });

  it('refuses a host without an integration and a URL without a project', () => {
    expect(() => parse('https://git.unknown.example/a/b')).toThrow(
      'GitOps repository https://git.unknown.example/a/b is on git.unknown.example, which has no integration in app-config (integrations.github or integrations.gitlab with host git.unknown.example)',
    );
    expect(() => parse('https://gitlab.example.com/platform')).toThrow(
      /must name a group and a project/,
    );
  });
});

describe('readPublishSettings', () => {
  it('keeps a GitLab or GitHub Enterprise gitops.repository as written', () => {
    for (const repository of [
      'https://gitlab.example.com/platform/infra/gitops',
      'https://ghe.example.com/platform/gitops',
    ]) {
      expect(
        readPublishSettings(
          new ConfigReader({ gitops: { repository, branchPrefix: 'x/' } }),
        ),
      ).toMatchObject({ repository, branchPrefix: 'x/' });
    }
  });
});
