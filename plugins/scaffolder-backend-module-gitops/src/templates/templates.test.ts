import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import Ajv from 'ajv';
import {
  addResourceTemplate,
  createEnvironmentTemplate,
  placementForm,
  databaseForm,
} from './formSchema';

const templates = path.resolve(__dirname, '../../../../templates');

function stripUi(node: any): any {
  if (Array.isArray(node)) return node.map(stripUi);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => !k.startsWith('ui:') && k !== 'enumNames')
      .map(([k, v]) => [k, stripUi(v)]),
  );
}

describe('templates', () => {
  it.each([
    ['create-environment', createEnvironmentTemplate()],
    ['add-resource', addResourceTemplate()],
  ])(
    'templates/%s/template.yaml is up to date with the offerings (yarn templates:generate)',
    (dir, generated) => {
      const committed = yaml.parse(
        fs.readFileSync(path.join(templates, dir, 'template.yaml'), 'utf8'),
      );
      expect(committed).toEqual(JSON.parse(JSON.stringify(generated)));
    },
  );

  it('the bootstrap template fetches the blueprint skeleton', () => {
    const t = yaml.parse(
      fs.readFileSync(
        path.join(templates, 'bootstrap-gitops-repository/template.yaml'),
        'utf8',
      ),
    );
    expect(t.spec.steps[0]).toMatchObject({
      action: 'epicshelter:blueprint:fetch',
      input: { targetPath: 'gitops' },
    });
    expect(t.spec.steps.map((s: any) => s.action)).toEqual([
      'epicshelter:blueprint:fetch',
      'publish:github',
      'epicshelter:gitops:publish',
    ]);
  });

  const ajv = new Ajv({ strict: false });
  const placement = ajv.compile(
    stripUi({ type: 'object', ...placementForm() }),
  );
  it.each([
    [{ target: 'local', crossplaneApi: 'v2', provider: 'local' }, true],
    [
      {
        target: 'cloud',
        crossplaneApi: 'v2',
        provider: 'aws',
        region: 'eu-west-1',
        kubernetesCluster: {},
      },
      true,
    ],
    [
      {
        target: 'cloud',
        crossplaneApi: 'v1',
        provider: 'gcp',
        region: 'europe-west1',
        kubernetesCluster: {},
      },
      true,
    ],
    [{ target: 'local', crossplaneApi: 'v2', provider: 'aws' }, false],
    [
      {
        target: 'cloud',
        crossplaneApi: 'v2',
        provider: 'local',
        kubernetesCluster: {},
      },
      false,
    ],
    [
      {
        target: 'cloud',
        crossplaneApi: 'v2',
        provider: 'aws',
        region: 'westeurope',
        kubernetesCluster: {},
      },
      false,
    ],
    [
      {
        target: 'cloud',
        crossplaneApi: 'v2',
        provider: 'azure',
        kubernetesCluster: {},
      },
      false,
    ],
  ])(
    'the placement form accepts only possible combinations: %j → %s',
    (value, ok) => {
      expect(placement(value)).toBe(ok);
    },
  );

  it('the database form offers only the versions of the chosen engine', () => {
    const db = ajv.compile(stripUi(databaseForm()));
    expect(db({ name: 'main', engine: 'postgres', version: '16' })).toBe(true);
    expect(db({ name: 'main', engine: 'mysql', version: '16' })).toBe(false);
    expect(db({ name: 'main', engine: 'mysql', version: '8.4' })).toBe(true);
  });
});
