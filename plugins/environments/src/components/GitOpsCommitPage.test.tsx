import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  MockFetchApi,
  TestApiProvider,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import type { GitOpsCommitDetails } from '@epicshelter/plugin-environments-common';
import { GitOpsCommitPage, commitIdFromPath } from './GitOpsCommitPage';

const server = setupServer();
registerMswTestHooks(server);

const BASE = 'http://backstage.test/api/environments';
const SHA = '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

const commit: GitOpsCommitDetails = {
  sha: SHA,
  subject: 'Add environment qa',
  body: 'Requested-by: Ada <ada@example.com>',
  author: {
    name: 'Ada',
    email: 'ada@example.com',
    date: '2026-12-06T02:00:00.000Z',
  },
  committer: {
    name: 'Epicshelter Portal',
    email: 'portal@epicshelter.invalid',
    date: '2026-12-06T02:00:00.000Z',
  },
  parents: ['2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'],
  files: [
    {
      path: 'environments/qa/environment.yaml',
      change: 'added',
      additions: 12,
      deletions: 0,
    },
    {
      path: 'environments/kustomization.yaml',
      change: 'modified',
      additions: 1,
      deletions: 1,
    },
  ],
};

function render(path: string) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [discoveryApiRef, { getBaseUrl: async () => BASE }],
        [fetchApiRef, new MockFetchApi()],
      ]}
    >
      <GitOpsCommitPage />
    </TestApiProvider>,
    { routeEntries: [path] },
  );
}

describe('GitOpsCommitPage', () => {
  it('shows the message, author and changed files of the commit in the path', async () => {
    server.use(
      http.get(`${BASE}/commits/${SHA}`, () => HttpResponse.json(commit)),
    );
    await render(`/gitops/commits/${SHA}`);
    expect(await screen.findByText('Add environment qa')).toBeInTheDocument();
    expect(
      screen.getByText('Requested-by: Ada <ada@example.com>'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('environments/qa/environment.yaml'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('2 files changed, 13 insertions(+), 1 deletion(−)'),
    ).toBeInTheDocument();
  });

  it('says when the backend listed only some of the changed files', async () => {
    server.use(
      http.get(`${BASE}/commits/${SHA}`, () =>
        HttpResponse.json({ ...commit, filesTruncated: true }),
      ),
    );
    await render(`/gitops/commits/${SHA}`);
    expect(
      await screen.findByText(
        'Truncated: more files changed, the first 2 shown, 13 insertions(+), 1 deletion(−)',
      ),
    ).toBeInTheDocument();
  });

  it("says why when the commit cannot be shown, with the backend's message", async () => {
    server.use(
      http.get(`${BASE}/commits/${SHA}`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: 'The GitOps repository has no commit 1111111aaaaa',
            },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    await render(`/gitops/commits/${SHA}`);
    expect(
      await screen.findByText(/This commit cannot be shown/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('The GitOps repository has no commit 1111111aaaaa'),
    ).toBeInTheDocument();
  });

  it('reads the commit id at the end of the path', () => {
    expect(commitIdFromPath(`/gitops/commits/${SHA}`)).toBe(SHA);
    expect(commitIdFromPath('/gitops/commits/')).toBe('');
  });
});
