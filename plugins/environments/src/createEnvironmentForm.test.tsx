import fs from 'node:fs';
import path from 'node:path';
import { fireEvent, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import yaml from 'yaml';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  FieldExtensionComponentProps,
  SecretsContextProvider,
} from '@backstage/plugin-scaffolder-react';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import {
  MockFetchApi,
  TestApiProvider,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { EnvironmentsClient, environmentsApiRef } from './api';
import {
  ENVIRONMENT_WORKLOADS_PICKER,
  EnvironmentWorkloadsPicker,
} from './components/EnvironmentWorkloadsPicker';

jest.setTimeout(60_000);

const server = setupServer();
registerMswTestHooks(server);
const BASE = 'http://backstage.test/api';

// The committed template, as the scaffolder serves its parameters.
const TEMPLATE =
  process.env.ES_TEMPLATE ??
  path.resolve(
    __dirname,
    '../../../templates/create-environment/template.yaml',
  );
const template = yaml.parse(fs.readFileSync(TEMPLATE, 'utf8'));
const manifest = {
  title: template.metadata.title,
  steps: template.spec.parameters.map((schema: any) => ({
    title: schema.title,
    schema,
  })),
};

/** Stands in for the scaffolder's MyGroupsPicker (it needs the catalog and identity). */
function GroupsPicker(props: FieldExtensionComponentProps<string>) {
  return (
    <input
      aria-label="Owner"
      value={props.formData ?? ''}
      onChange={e => props.onChange(e.target.value)}
    />
  );
}

async function renderForm() {
  server.use(
    http.get(`${BASE}/environments/apps`, () =>
      HttpResponse.json({
        items: [{ name: 'orders-api' }, { name: 'storefront' }],
      }),
    ),
  );
  const discoveryApi = { getBaseUrl: async (id: string) => `${BASE}/${id}` };
  const fetchApi = new MockFetchApi();
  const onCreate = jest.fn(async () => {});
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
        [
          environmentsApiRef,
          new EnvironmentsClient({ discoveryApi, fetchApi }),
        ],
      ]}
    >
      <SecretsContextProvider>
        <Stepper
          manifest={manifest}
          extensions={[
            {
              name: ENVIRONMENT_WORKLOADS_PICKER,
              component: EnvironmentWorkloadsPicker,
            },
            { name: 'MyGroupsPicker', component: GroupsPicker },
          ]}
          onCreate={onCreate}
        />
      </SecretsContextProvider>
    </TestApiProvider>,
  );
  return { onCreate };
}

const next = () =>
  fireEvent.click(screen.getByRole('button', { name: 'Next' }));

/** Picks `option` in the MUI select labelled `label`. */
async function select(label: string, option: string) {
  fireEvent.mouseDown(screen.getByLabelText(new RegExp(`^${label}`)));
  fireEvent.click(within(await screen.findByRole('listbox')).getByText(option));
}

/** Fills in the first step and goes to "Where it runs". */
async function toPlacement(name: string) {
  fireEvent.change(screen.getByLabelText(/^Name/), {
    target: { value: name },
  });
  fireEvent.change(screen.getByLabelText('Owner'), {
    target: { value: 'group:default/checkout-team' },
  });
  next();
  await screen.findByLabelText(/^Target/);
}

describe('the Create environment form, as the scaffolder renders it', () => {
  it('explains a bad name in a sentence, not with a regular expression', async () => {
    await renderForm();
    expect(
      await screen.findByText(
        'Lowercase letters, digits and "-", 2 to 40 characters; it is also the Kubernetes namespace.',
      ),
    ).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(/^Name/), {
      target: { value: 'Dev Env' },
    });
    fireEvent.change(screen.getByLabelText('Owner'), {
      target: { value: 'group:default/checkout-team' },
    });
    next();
    expect(
      (
        await screen.findAllByText(
          /may contain only lowercase letters, digits and "-", and must start and end with a letter or digit\./,
        )
      ).length,
    ).toBeGreaterThan(0);
    expect(document.body.textContent).not.toMatch(/must match|\^\[a-z/);
  });

  it('asks for the region right after the provider, before the cluster, and requires it', async () => {
    await renderForm();
    await toPlacement('prod');
    await select('Target', 'Public cloud');
    await select('Provider', 'aws');
    const labels = [...document.querySelectorAll('label')].map(
      l => l.textContent ?? '',
    );
    const at = (text: string) => labels.findIndex(l => l.startsWith(text));
    expect(at('Provider')).toBeGreaterThan(at('Target'));
    expect(at('Region')).toBeGreaterThan(at('Provider'));
    expect(at('Kubernetes version')).toBeGreaterThan(at('Region'));
    // the region is required: the browser keeps the step until it is picked
    expect(labels[at('Region')]).toMatch(/^Region\s*\*/);
    next();
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(screen.getByLabelText(/^Region/)).toBeInTheDocument();
    expect(screen.queryByLabelText('Workloads')).toBeNull();
    expect(document.body.textContent).not.toMatch(
      /must match|must be equal|"then"|oneOf|required property/,
    );
  });

  it('offers, for a database, only the engines the chosen provider serves (no MySQL on Azure)', async () => {
    await renderForm();
    await toPlacement('qa');
    await select('Target', 'Public cloud');
    await select('Provider', 'azure');
    await select('Region', 'westeurope');
    next();
    await screen.findByLabelText('Workloads');
    // the first "Add" of the step adds a database
    fireEvent.click((await screen.findAllByTitle('Add Item'))[0]);
    fireEvent.mouseDown(await screen.findByLabelText(/^Engine/));
    const options = within(await screen.findByRole('listbox'))
      .getAllByRole('option')
      .map(o => o.textContent);
    expect(options).toEqual(['postgres']);
  });

  it("offers the workloads from the repository's apps, and renders the help text as written", async () => {
    await renderForm();
    await toPlacement('qa');
    next();
    const workloads = await screen.findByLabelText('Workloads');
    fireEvent.mouseDown(workloads);
    fireEvent.keyDown(workloads, { key: 'ArrowDown' });
    fireEvent.click(await screen.findByRole('option', { name: 'storefront' }));
    expect(
      screen.getByText(
        'The apps of the GitOps repository (each folder of apps/ with a base) that the environment deploys.',
      ),
    ).toBeInTheDocument();
    // no step asks for a repository
    expect(screen.queryByText('GitOps repository')).toBeNull();
  });
});
