import { fireEvent, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { MockFetchApi } from '@backstage/test-utils';
import type { GitOpsLocalRepositoriesResponse } from '@epicshelter/plugin-environments-common';
import { EnvironmentsClient, environmentsApiRef } from '../api';
import {
  GitOpsRepositoryPicker,
  validateGitOpsRepository,
} from './GitOpsRepositoryPicker';

jest.setTimeout(30_000);

const server = setupServer();
registerMswTestHooks(server);

const URL = 'http://backstage.test/api/environments/repositories';
const client = new EnvironmentsClient({
  discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
  fetchApi: new MockFetchApi(),
});

const repositories: GitOpsLocalRepositoriesResponse = {
  items: [
    { ref: 'gitops.repository', title: 'main', configured: true },
    {
      ref: 'gitops.allowedRepositories[0]',
      title: 'new-gitops',
      configured: false,
    },
  ],
};

function props(
  over: Partial<FieldExtensionComponentProps<string>> = {},
): FieldExtensionComponentProps<string> {
  return {
    formData: undefined,
    onChange: jest.fn(),
    schema: { title: 'Local repository', description: 'Where to bootstrap' },
    required: true,
    rawErrors: [],
    uiSchema: {},
    idSchema: { $id: 'root_path' },
    ...over,
  } as unknown as FieldExtensionComponentProps<string>;
}

const render = (element: JSX.Element) =>
  renderInTestApp(element, { apis: [[environmentsApiRef, client]] });

describe('GitOpsRepositoryPicker', () => {
  it('offers the repositories the portal may write to and sets the picked repository by its configuration key', async () => {
    server.use(http.get(URL, () => HttpResponse.json(repositories)));
    const p = props();
    await render(<GitOpsRepositoryPicker {...p} />);
    const select = await screen.findByRole('button', {
      name: /Local repository/,
    });
    await screen.findByText('Where to bootstrap');
    fireEvent.mouseDown(select);
    const list = await screen.findByRole('listbox');
    expect(
      within(list)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(["main (the portal's GitOps repository)", 'new-gitops']);
    fireEvent.click(within(list).getByText('new-gitops'));
    expect(p.onChange).toHaveBeenCalledWith('gitops.allowedRepositories[0]');
  });

  it('says so when no local repository is allowed', async () => {
    server.use(http.get(URL, () => HttpResponse.json({ items: [] })));
    await render(<GitOpsRepositoryPicker {...props()} />);
    expect(
      await screen.findByText(
        'The portal may write to no local repository: a platform admin adds one to gitops.allowedRepositories in app-config.',
      ),
    ).toBeInTheDocument();
  });

  it('shows the backend error as a sentence', async () => {
    server.use(
      http.get(URL, () =>
        HttpResponse.json(
          {
            error: { name: 'NotAllowedError', message: 'Only users may ask.' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await render(<GitOpsRepositoryPicker {...props()} />);
    expect(
      await screen.findByText(
        'The repositories the portal may write to could not be read: Only users may ask.',
      ),
    ).toBeInTheDocument();
  });

  it('validation refuses a repository that is not listed, in a sentence', async () => {
    server.use(http.get(URL, () => HttpResponse.json(repositories)));
    const errors: string[] = [];
    const validation = { addError: (m: string) => errors.push(m) };
    const context = {
      apiHolder: { get: () => client as any },
    };
    await validateGitOpsRepository('gitops.repository', validation, context);
    expect(errors).toEqual([]);
    await validateGitOpsRepository('/etc', validation, context);
    expect(errors).toEqual([
      'is not a repository the portal may write to; pick one from the list.',
    ]);
  });
});
