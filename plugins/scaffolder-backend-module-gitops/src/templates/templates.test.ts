import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import Ajv from 'ajv';
import ajvErrors from 'ajv-errors';
import {
  DATABASE_ENGINES,
  PROVIDERS,
  offeredDatabaseEngines,
  safeParseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import {
  addResourceTemplate,
  createEnvironmentTemplate,
  placementForm,
  databaseForm,
} from './formSchema';

type Step = Record<string, any>;

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

  it('the create form offers, per provider, exactly the database engines the spec accepts', () => {
    const resources: Step = createEnvironmentTemplate().spec.parameters[2];
    const form = ajv.compile(stripUi({ type: 'object', ...resources }));
    const whereItRuns: Record<string, Record<string, unknown>> = {
      local: { target: 'local' },
      aws: { target: 'cloud', region: 'eu-west-1' },
      gcp: { target: 'cloud', region: 'europe-west1' },
      azure: { target: 'cloud', region: 'westeurope' },
    };
    for (const provider of PROVIDERS) {
      for (const engine of DATABASE_ENGINES) {
        const databases = [{ name: 'orders-db', engine }];
        const spec = safeParseEnvironmentSpec({
          name: 'qa',
          owner: 'group:default/platform',
          provider,
          ...whereItRuns[provider],
          resources: {
            databases,
            ...(provider === 'local' ? {} : { kubernetesCluster: {} }),
          },
        });
        expect({
          provider,
          engine,
          form: form({ provider, databases }),
        }).toEqual({ provider, engine, form: spec.success });
      }
      // What the form renders for that provider: its branch's engine list.
      const branch = resources.dependencies.provider.oneOf.find(
        (b: Step) => b.properties.provider.const === provider,
      );
      expect(branch.properties.databases.items.properties.engine.enum).toEqual(
        offeredDatabaseEngines(provider),
      );
    }
    expect(offeredDatabaseEngines('azure')).not.toContain('mysql');
  });

  it('the database form offers only the versions of the chosen engine', () => {
    const db = ajv.compile(stripUi(databaseForm()));
    expect(db({ name: 'main', engine: 'postgres', version: '16' })).toBe(true);
    expect(db({ name: 'main', engine: 'mysql', version: '16' })).toBe(false);
    expect(db({ name: 'main', engine: 'mysql', version: '8.4' })).toBe(true);
  });

  describe('what people filling in the forms read', () => {
    // The scaffolder's Stepper validates each step with ajv (allErrors) and
    // ajv-errors; the same here, so the messages are the ones people see.
    const withMessages = new Ajv({ allErrors: true, strict: false });
    ajvErrors(withMessages);
    const steps = (t: any): Step[] => t.spec.parameters;
    const create = steps(createEnvironmentTemplate());
    const add = steps(addResourceTemplate());
    const bootstrap = steps(
      yaml.parse(
        fs.readFileSync(
          path.join(templates, 'bootstrap-gitops-repository/template.yaml'),
          'utf8',
        ),
      ),
    );
    const errorsOf = (step: Step, value: unknown) => {
      const validate = withMessages.compile(
        stripUi({ type: 'object', ...step }),
      );
      return validate(value) ? [] : validate.errors ?? [];
    };
    const messages = (step: Step, value: unknown) =>
      errorsOf(step, value).map(e => e.message ?? '');
    // ajv's own wording: patterns, "must match \"then\" schema", oneOf, ...
    const JSON_SCHEMA_WORDING =
      /must (match|have|NOT|be equal|be [<>]|be (string|integer|object|array))|oneOf|anyOf|"then"|schema|dependenc|property '|\^\[/;

    it.each<[string, Step, unknown]>([
      ['a name with capitals', create[0], { name: 'Dev Env', owner: 'g' }],
      ['a one-letter name', create[0], { name: 'd', owner: 'g' }],
      ['no name and no owner', create[0], {}],
      [
        'a cloud environment without provider or cluster',
        create[1],
        { target: 'cloud', crossplaneApi: 'v2' },
      ],
      [
        'an AWS environment without region',
        create[1],
        {
          target: 'cloud',
          crossplaneApi: 'v2',
          provider: 'aws',
          kubernetesCluster: {},
        },
      ],
      [
        'a cluster with too many nodes',
        create[1],
        {
          target: 'cloud',
          crossplaneApi: 'v2',
          provider: 'gcp',
          region: 'europe-west1',
          kubernetesCluster: { nodeCount: 1000 },
        },
      ],
      [
        'a local environment on AWS',
        create[1],
        { target: 'local', crossplaneApi: 'v2', provider: 'aws' },
      ],
      [
        "a database with a bad name and another engine's version",
        create[2],
        {
          databases: [{ name: 'Orders_DB', engine: 'mysql', version: '16' }],
          workloads: ['storefront', 'storefront'],
        },
      ],
      ['a bucket without a name', add[1], { type: 'bucket', bucket: {} }],
      ['no environment', add[0], {}],
      [
        'a bootstrap path typed instead of picked',
        bootstrap[0],
        { destination: 'local', path: '/srv/gitops' },
      ],
      [
        'a bootstrap without repository',
        bootstrap[0],
        { destination: 'github' },
      ],
    ])('%s is refused with sentences only', (_title, step, value) => {
      const found = errorsOf(step, value);
      expect(found.length).toBeGreaterThan(0);
      for (const error of found) {
        // every message is one the form defines, none is ajv's
        expect(error.keyword).toBe('errorMessage');
        expect(error.message).not.toMatch(JSON_SCHEMA_WORDING);
        expect(error.message).toMatch(/\.$/);
      }
    });

    it('says what is wrong with a name and where the region is missing', () => {
      expect(messages(create[0], { name: 'Dev', owner: 'g' })).toEqual([
        'may contain only lowercase letters, digits and "-", and must start and end with a letter or digit.',
      ]);
      expect(messages(create[0], { name: 'dev' })).toEqual([
        'Pick the group that owns the environment.',
      ]);
      expect(
        new Set(
          messages(create[1], {
            target: 'cloud',
            crossplaneApi: 'v2',
            provider: 'azure',
            kubernetesCluster: {},
          }),
        ),
      ).toEqual(
        new Set([
          'Pick one of the regions of the chosen provider.',
          // on Provider, for the other providers' branches
          'needs the fields that go with it, filled in as the other messages say.',
        ]),
      );
    });

    it('help texts, descriptions and titles render as written (no <placeholders> the Markdown renderer swallows)', () => {
      const texts: string[] = [];
      const walk = (node: any): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === 'object') {
          for (const [k, v] of Object.entries(node)) {
            if (
              typeof v === 'string' &&
              ['title', 'description', 'ui:help', 'ui:description'].includes(k)
            ) {
              texts.push(v);
            } else walk(v);
          }
        }
      };
      walk([create, add, bootstrap]);
      expect(texts.length).toBeGreaterThan(20);
      for (const text of texts) {
        expect(text).not.toMatch(/<[^>]*>|\/\//);
      }
    });

    it('no form asks for a repository: every template writes to the configured GitOps repository', () => {
      for (const t of [createEnvironmentTemplate(), addResourceTemplate()]) {
        const json = JSON.stringify(t);
        expect(json).not.toMatch(/parameters\.repository/);
        for (const step of t.spec.parameters as Step[]) {
          expect(Object.keys(step.properties ?? {})).not.toContain(
            'repository',
          );
        }
      }
    });

    it("workloads are picked from the repository's apps, the owner from the user's groups, the region right after the provider", () => {
      expect(create[2].properties.workloads['ui:field']).toBe(
        'EnvironmentWorkloadsPicker',
      );
      expect(create[0].properties.owner['ui:field']).toBe('MyGroupsPicker');
      const order: string[] = create[1]['ui:order'];
      expect(order.indexOf('provider')).toBeLessThan(order.indexOf('region'));
      expect(order.indexOf('region')).toBeLessThan(
        order.indexOf('kubernetesCluster'),
      );
    });
  });
});
