import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import type {
  DeferredEntity,
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { GitOpsEntityProvider } from './GitOpsEntityProvider';
import { GitOpsRepositoryServiceSource } from './sources';
import {
  TestRepo,
  localRepository,
  environmentFiles,
  localSpec,
} from '../__testUtils__/gitRepo';
import { RepositoryDescription } from './entities';

const refsOf = (entities: DeferredEntity[]) =>
  entities.map(e => stringifyEntityRef(e.entity)).sort();

function setup(dir: string) {
  const mutations: EntityProviderMutation[] = [];
  const connection: EntityProviderConnection = {
    applyMutation: async m => {
      mutations.push(m);
    },
    refresh: async () => {},
  };
  const repository: RepositoryDescription = {
    kind: 'local',
    location: dir,
    branch: 'main',
    branchPrefix: 'epicshelter/',
  };
  const provider = new GitOpsEntityProvider({
    source: new GitOpsRepositoryServiceSource(localRepository(dir, 'main')),
    repository,
    logger: mockServices.logger.mock(),
  });
  return { provider, connection, mutations };
}

type FullMutation = Extract<EntityProviderMutation, { type: 'full' }>;
type DeltaMutation = Extract<EntityProviderMutation, { type: 'delta' }>;

function asFull(m: EntityProviderMutation | undefined): FullMutation {
  expect(m?.type).toBe('full');
  return m as FullMutation;
}

function asDelta(m: EntityProviderMutation | undefined): DeltaMutation {
  expect(m?.type).toBe('delta');
  return m as DeltaMutation;
}

describe('GitOpsEntityProvider (local git)', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-provider-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('emits a full mutation first, then deltas for changed and deleted environments only', async () => {
    const repo = TestRepo.init(path.join(tmp, 'repo'));
    repo.write({ 'README.md': '# gitops\n' });
    repo.write(environmentFiles(localSpec('dev')));
    repo.write(
      environmentFiles(
        localSpec('staging', {
          workloads: ['orders-api', 'storefront'],
          resources: {
            buckets: [{ name: 'assets' }],
            caches: [{ name: 'sessions' }],
          },
        }),
      ),
    );
    repo.write(environmentFiles(localSpec('qa', { resources: {} })));
    repo.commit('three environments');

    const { provider, connection, mutations } = setup(repo.dir);
    await provider.connect(connection);
    const first = await provider.refresh();

    expect(first).toMatchObject({
      type: 'full',
      emitted: ['dev', 'qa', 'staging'],
    });
    expect(mutations).toHaveLength(1);
    const full = asFull(mutations[0]);
    expect(refsOf(full.entities)).toEqual([
      'resource:default/dev',
      'resource:default/dev-orders-db',
      'resource:default/qa',
      'resource:default/staging',
      'resource:default/staging-assets',
      'resource:default/staging-sessions',
    ]);
    expect(new Set(full.entities.map(e => e.locationKey))).toEqual(
      new Set([`epicshelter-gitops:${repo.dir}`]),
    );

    // Nothing changed: no mutation at all.
    expect(await provider.refresh()).toMatchObject({ type: 'unchanged' });
    expect(mutations).toHaveLength(1);

    // A commit outside environments/ moves the head but changes no environment.
    repo.write({ 'README.md': '# gitops repository\n' });
    repo.commit('docs');
    expect(await provider.refresh()).toMatchObject({
      type: 'delta',
      emitted: [],
      removed: [],
    });
    expect(mutations).toHaveLength(1);

    // Change one environment (drop its cache, add a database), delete another.
    repo.write(
      environmentFiles(
        localSpec('staging', {
          workloads: ['orders-api', 'storefront'],
          resources: {
            buckets: [{ name: 'assets' }],
            databases: [{ name: 'orders-db', engine: 'mysql' }],
          },
        }),
      ),
    );
    repo.remove('environments/staging/infrastructure/cache-sessions.yaml');
    repo.remove('environments/qa');
    repo.commit('change staging, delete qa');

    const third = await provider.refresh();
    expect(third).toMatchObject({
      type: 'delta',
      emitted: ['staging'],
      removed: ['qa'],
    });
    expect(mutations).toHaveLength(2);
    const delta = asDelta(mutations[1]);
    expect(delta.type).toBe('delta');
    expect(refsOf(delta.added)).toEqual([
      'resource:default/staging',
      'resource:default/staging-assets',
      'resource:default/staging-orders-db',
    ]);
    expect(
      delta.removed.map(r => ('entityRef' in r ? r.entityRef : '')).sort(),
    ).toEqual(['resource:default/qa', 'resource:default/staging-sessions']);

    // Add one environment: only it is emitted.
    repo.write(environmentFiles(localSpec('feature-x')));
    repo.commit('add feature-x');
    expect(await provider.refresh()).toMatchObject({
      emitted: ['feature-x'],
      removed: [],
    });
    const added = asDelta(mutations[2]);
    expect(refsOf(added.added)).toEqual([
      'resource:default/feature-x',
      'resource:default/feature-x-orders-db',
    ]);
    expect(added.removed).toEqual([]);
  });

  it('emits entities with the annotations, relations and spec the other plugins read', async () => {
    const repo = TestRepo.init(path.join(tmp, 'repo'));
    repo.write(environmentFiles(localSpec('dev')));
    repo.commit('dev');
    const { provider, connection, mutations } = setup(repo.dir);
    await provider.connect(connection);
    await provider.refresh();
    const full = asFull(mutations[0]);
    const env = full.entities.find(
      e => e.entity.metadata.name === 'dev',
    )!.entity;
    const db = full.entities.find(
      e => e.entity.metadata.name === 'dev-orders-db',
    )!.entity;

    expect(env.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-location':
        'epicshelter-gitops:environments/dev/environment.yaml',
      'backstage.io/managed-by-origin-location':
        'epicshelter-gitops:environments/dev/environment.yaml',
      'epicshelter.io/gitops-repository': 'local:repo',
      'epicshelter.io/environment': 'dev',
      'argocd/app-selector': 'epicshelter.io/environment=dev',
      'crossplane.epicshelter.io/namespace': 'dev',
      'epicshelter.io/gitops-path': 'environments/dev',
      'epicshelter.io/gitops-change-branch': 'epicshelter/dev',
    });
    expect(env.spec).toMatchObject({
      type: 'environment',
      owner: 'group:default/checkout-team',
      system: 'environments',
      dependsOn: ['resource:default/dev-orders-db'],
      dependencyOf: ['component:default/orders-api'],
      environment: {
        target: 'local',
        provider: 'local',
        crossplaneApi: 'v2',
        applications: {
          workloads: 'dev-workloads',
          infrastructure: 'dev-infrastructure',
        },
        resources: [
          {
            type: 'database',
            name: 'orders-db',
            entityRef: 'resource:default/dev-orders-db',
            crossplane: {
              kind: 'Database',
              namespace: 'dev',
              name: 'dev-orders-db',
            },
            details: { engine: 'postgres', size: 'small' },
          },
        ],
      },
    });
    expect(db.metadata.annotations).toMatchObject({
      'crossplane.epicshelter.io/selector':
        'epicshelter.io/environment=dev,epicshelter.io/resource=orders-db',
    });
    expect(db.spec).toMatchObject({
      type: 'database',
      owner: 'group:default/checkout-team',
      system: 'environments',
      // the workloads that use it depend on it, not only the environment
      dependencyOf: ['resource:default/dev', 'component:default/orders-api'],
    });
    // no path of the server in anything a page shows
    for (const e of full.entities) {
      expect(JSON.stringify(e.entity)).not.toContain(repo.dir);
      expect(JSON.stringify(e.entity)).not.toContain('file:');
    }
  });

  it('puts environments in a System of their own, which it emits, and relates workloads to the resources they use', async () => {
    const repo = TestRepo.init(path.join(tmp, 'repo'));
    repo.write(
      environmentFiles(
        localSpec('qa', {
          workloads: ['orders-api', 'storefront'],
          resources: {
            databases: [{ name: 'orders-db', engine: 'postgres' }],
            caches: [{ name: 'sessions' }],
          },
        }),
      ),
    );
    repo.commit('qa');
    const mutations: EntityProviderMutation[] = [];
    const provider = new GitOpsEntityProvider({
      source: new GitOpsRepositoryServiceSource(
        localRepository(repo.dir, 'main'),
      ),
      repository: {
        kind: 'local',
        location: repo.dir,
        branch: 'main',
        branchPrefix: 'epicshelter/',
      },
      logger: mockServices.logger.mock(),
      system: { name: 'platform-environments', owner: 'group:default/ops' },
    });
    await provider.connect({
      applyMutation: async m => {
        mutations.push(m);
      },
      refresh: async () => {},
    });
    await provider.refresh();
    const full = asFull(mutations[0]);
    expect(refsOf(full.entities)).toEqual([
      'resource:default/qa',
      'resource:default/qa-orders-db',
      'resource:default/qa-sessions',
      'system:default/platform-environments',
    ]);
    const byName = (name: string) =>
      full.entities.find(e => e.entity.metadata.name === name)!.entity;
    expect(byName('platform-environments').spec).toEqual({
      owner: 'group:default/ops',
    });
    for (const name of ['qa', 'qa-orders-db', 'qa-sessions']) {
      expect(byName(name).spec?.system).toBe('platform-environments');
    }
    expect(byName('qa-sessions').spec?.dependencyOf).toEqual([
      'resource:default/qa',
      'component:default/orders-api',
      'component:default/storefront',
    ]);
    expect(byName('qa').spec?.dependencyOf).toEqual([
      'component:default/orders-api',
      'component:default/storefront',
    ]);

    // later deltas do not emit the System again
    repo.write(environmentFiles(localSpec('qa2')));
    repo.commit('qa2');
    await provider.refresh();
    expect(refsOf(asDelta(mutations[1]).added)).toEqual([
      'resource:default/qa2',
      'resource:default/qa2-orders-db',
    ]);
  });

  it('turns a broken environment into one error entity and keeps the others', async () => {
    const repo = TestRepo.init(path.join(tmp, 'repo'));
    repo.write(environmentFiles(localSpec('dev')));
    repo.write(environmentFiles(localSpec('staging')));
    repo.commit('two');
    const { provider, connection, mutations } = setup(repo.dir);
    await provider.connect(connection);
    await provider.refresh();

    repo.write({
      'environments/staging/environment.yaml':
        'apiVersion: epicshelter.io/v1alpha1\nkind: Environment\nmetadata:\n  name: staging\nspec:\n  name: staging\n  owner: group:default/checkout-team\n  target: cloud\n  provider: local\n',
      'environments/broken/environment.yaml': 'spec: [unclosed\n',
      'environments/weird/environment.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: weird\n',
      'environments/empty/infrastructure/namespace.yaml': 'kind: Namespace\n',
    });
    repo.commit('break things');
    const result = await provider.refresh();
    expect(result.broken.sort()).toEqual([
      'broken',
      'empty',
      'staging',
      'weird',
    ]);
    const delta = asDelta(mutations[1]);
    expect(refsOf(delta.added)).toEqual([
      'resource:default/broken',
      'resource:default/empty',
      'resource:default/staging',
      'resource:default/weird',
    ]);
    // staging's database entity disappears with its valid spec.
    expect(delta.removed).toEqual([
      {
        entityRef: 'resource:default/staging-orders-db',
        locationKey: `epicshelter-gitops:${repo.dir}`,
      },
    ]);
    const errors = Object.fromEntries(
      delta.added.map(d => [
        d.entity.metadata.name,
        d.entity.metadata.annotations?.['epicshelter.io/gitops-error'],
      ]),
    );
    expect(errors.staging).toContain(
      'invalid environment spec: spec.provider: "local" provider is only valid for the local target',
    );
    expect(errors.broken).toMatch(
      /^environments\/broken\/environment.yaml is not valid YAML/,
    );
    expect(errors.weird).toContain('unknown kind "ConfigMap"');
    expect(errors.empty).toContain(
      'environments/empty/environment.yaml is missing',
    );
    const staging = delta.added.find(
      d => d.entity.metadata.name === 'staging',
    )!;
    expect(staging.entity.spec).toEqual({
      type: 'environment',
      owner: 'group:default/checkout-team',
      system: 'environments',
    });
  });

  it('reads a repository that does not exist yet as no environments', async () => {
    const { provider, connection, mutations } = setup(
      path.join(tmp, 'missing'),
    );
    await provider.connect(connection);
    expect(await provider.refresh()).toMatchObject({
      type: 'full',
      emitted: [],
    });
    expect(mutations).toEqual([{ type: 'full', entities: [] }]);
    expect(await provider.refresh()).toMatchObject({ type: 'unchanged' });
  });

  it('reads the configured branch, not the checked-out one', async () => {
    const repo = TestRepo.init(path.join(tmp, 'repo'));
    repo.write(environmentFiles(localSpec('dev')));
    repo.commit('dev');
    // A change proposed on a branch (local "pull request") is not in the catalog yet.
    const { git } = jest.requireActual('../__testUtils__/gitRepo');
    git(repo.dir, 'checkout', '-q', '-b', 'epicshelter/qa');
    repo.write(environmentFiles(localSpec('qa')));
    repo.commit('qa');
    const { provider, connection, mutations } = setup(repo.dir);
    await provider.connect(connection);
    await provider.refresh();
    const full = asFull(mutations[0]);
    expect(refsOf(full.entities)).toEqual([
      'resource:default/dev',
      'resource:default/dev-orders-db',
    ]);
  });
});
