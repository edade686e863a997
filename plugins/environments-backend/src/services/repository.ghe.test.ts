import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultGitOpsRepositoryService } from '@epicshelter/plugin-gitops-node';
import { gitOpsRepositoryReader } from './repository';

const server = setupServer();

describe('gitOpsRepositoryReader on GitHub Enterprise', () => {
  registerMswTestHooks(server);

  it('asks the host’s API with its token and links to the host’s web pages', async () => {
    const seen: string[] = [];
    server.use(
      http.get(
        'https://ghe.example.com/api/v3/repos/platform/gitops/commits/main',
        ({ request }) => {
          seen.push(request.headers.get('authorization')!);
          return HttpResponse.json({ sha: 'a'.repeat(40) });
        },
      ),
    );
    const reader = gitOpsRepositoryReader(
      DefaultGitOpsRepositoryService.fromConfig(
        new ConfigReader({
          integrations: {
            github: [
              { host: 'github.com', token: 'ghp_public' },
              {
                host: 'ghe.example.com',
                apiBaseUrl: 'https://ghe.example.com/api/v3',
                token: 'ghe_secret',
              },
            ],
          },
          gitops: { repository: 'https://ghe.example.com/platform/gitops' },
        }),
      ).configured()!,
    );
    expect(await reader.head()).toEqual({
      sha: 'a'.repeat(40),
      url: `https://ghe.example.com/platform/gitops/commit/${'a'.repeat(40)}`,
    });
    expect(reader.commitUrl('b'.repeat(40))).toBe(
      `https://ghe.example.com/platform/gitops/commit/${'b'.repeat(40)}`,
    );
    expect(seen).toEqual(['Bearer ghe_secret']);
  });
});
