import { generateEnvironment } from '../generator';
import { renderPlatform } from '../platform';
import { parseEnvironmentSpec } from '../spec';
import { toYaml } from '../yaml';
import { ValidationIssue, validateRepository } from './validateRepository';
import { validateNewEnvironment } from './validateNewEnvironment';

const base = (app: string) => ({
  [`apps/${app}/base/kustomization.yaml`]: toYaml({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: ['deployment.yaml'],
  }),
  [`apps/${app}/base/deployment.yaml`]: toYaml({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app },
    spec: {
      template: {
        spec: {
          containers: [{ name: 'app', image: `ghcr.io/epicshelter/${app}:1` }],
        },
      },
    },
  }),
});

const app = (name: string, path: string) =>
  toYaml({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd' },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://github.com/o/r',
        targetRevision: 'main',
        path,
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'x' },
    },
  });

const spec = parseEnvironmentSpec({
  name: 'dev',
  owner: 'group:default/platform',
  target: 'local',
  provider: 'local',
  workloads: ['orders-api'],
  resources: {
    databases: [{ name: 'db', engine: 'postgres' }],
    buckets: [{ name: 'b' }],
  },
});

const repo = (): Record<string, string> => ({
  ...renderPlatform(),
  ...base('orders-api'),
  'clusters/local/root/platform.yaml': app('platform', 'platform'),
  ...generateEnvironment(spec),
});

const messages = (issues: ValidationIssue[]) =>
  issues.map(i => `${i.file}#${i.documentIndex} ${i.path}: ${i.message}`);

describe('validateRepository', () => {
  it('accepts a repository with a generated environment', () => {
    expect(messages(validateRepository(repo()).issues)).toEqual([]);
  });

  it('catches a claim field the XRD does not define', () => {
    const files = repo();
    const f = 'environments/dev/infrastructure/database-db.yaml';
    files[f] = files[f].replace(
      'size: small',
      'size: small\n    storageGb: 10',
    );
    expect(messages(validateRepository(files).issues)).toEqual([
      `${f}#0 $.spec.parameters.storageGb: unknown field "storageGb": not defined by the XRD databases.platform.epicshelter.io`,
    ]);
  });

  it('catches an engine version the XRD does not offer', () => {
    const files = repo();
    const f = 'environments/dev/infrastructure/database-db.yaml';
    files[f] = files[f].replace("version: '17'", "version: '9.6'");
    const issues = validateRepository(files).issues;
    const version = issues.find(i => i.path === '$.spec.parameters.version')!;
    expect(version).toMatchObject({ file: f, documentIndex: 0 });
    expect(version.message).toMatch(
      /must be one of "17", "16", "15", "8.4", "8.0"/,
    );
    // postgres with a mysql version: each field is offered, the pair is not.
    files[f] = files[f].replace("version: '9.6'", "version: '8.4'");
    expect(messages(validateRepository(files).issues)).toEqual([
      `${f}#0 $.spec.parameters: does not match any allowed combination of its fields (the XRD databases.platform.epicshelter.io)`,
    ]);
  });

  it('checks v1 claims against the legacy XRD', () => {
    const files = {
      ...renderPlatform(),
      ...base('orders-api'),
      ...generateEnvironment({ ...spec, crossplaneApi: 'v1' }),
    };
    expect(validateRepository(files).ok).toBe(true);
    const f = 'environments/dev/infrastructure/bucket-b.yaml';
    files[f] = files[f].replace('versioning: false', 'versioning: "no"');
    expect(messages(validateRepository(files).issues)).toEqual([
      `${f}#0 $.spec.parameters.versioning: must be boolean (the XRD xbuckets.legacy.platform.epicshelter.io)`,
    ]);
  });

  it('catches a missing kustomization resource', () => {
    const files = repo();
    delete files['environments/dev/infrastructure/bucket-b.yaml'];
    expect(messages(validateRepository(files).issues)).toEqual([
      'environments/dev/infrastructure/kustomization.yaml#0 $.resources[2]: "bucket-b.yaml" does not exist in the repository (resolved to environments/dev/infrastructure/bucket-b.yaml)',
    ]);
  });

  it('catches a workload without a base', () => {
    const files = repo();
    delete files['apps/orders-api/base/kustomization.yaml'];
    expect(messages(validateRepository(files).issues)).toEqual([
      'environments/dev/workloads/kustomization.yaml#0 $.resources[0]: "../../../apps/orders-api/base" is a directory without a kustomization.yaml (apps/orders-api/base)',
    ]);
  });

  it('catches an Application path that does not exist', () => {
    const files = {
      ...repo(),
      'clusters/local/root/extra.yaml': app(
        'extra',
        'environments/nope/workloads',
      ),
    };
    expect(messages(validateRepository(files).issues)).toEqual([
      'clusters/local/root/extra.yaml#0 $.spec.source.path: "environments/nope/workloads" does not exist in the repository',
    ]);
    expect(
      validateRepository(files, { repoURLs: ['https://github.com/other/repo'] })
        .ok,
    ).toBe(true);
  });

  it('catches duplicate names per kind and namespace', () => {
    const files = {
      ...repo(),
      'clusters/local/root/platform-copy.yaml': app('platform', 'platform'),
      'other/ns.yaml': toYaml({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'dev' },
      }),
    };
    expect(messages(validateRepository(files).issues)).toEqual(
      [
        'other/ns.yaml#0 $.metadata.name: duplicate Namespace "dev": already defined in environments/dev/infrastructure/namespace.yaml (document 0)',
        'clusters/local/root/platform.yaml#0 $.metadata.name: duplicate Application "platform" in namespace "argocd": already defined in clusters/local/root/platform-copy.yaml (document 0)',
      ].sort(),
    );
  });

  it('does not treat the same name in another namespace or kind as a duplicate', () => {
    const files = {
      ...repo(),
      'x/a.yaml': `${toYaml({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'a', namespace: 'one' },
      })}---\n${toYaml({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'a', namespace: 'two' },
      })}---\n${toYaml({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'a', namespace: 'one' },
      })}`,
    };
    expect(validateRepository(files).ok).toBe(true);
  });

  it('checks Argo CD objects against the Argo CD schema', () => {
    const files = repo();
    files['clusters/local/root/platform.yaml'] = files[
      'clusters/local/root/platform.yaml'
    ].replace('project: default', 'projekt: default');
    expect(messages(validateRepository(files).issues)).toEqual([
      'clusters/local/root/platform.yaml#0 $.spec.project: required by the Argo CD Application schema but missing',
      'clusters/local/root/platform.yaml#0 $.spec.projekt: unknown field "projekt": not defined by the Argo CD Application schema',
    ]);
  });

  it('reports YAML syntax errors with file and document', () => {
    const files = { ...repo(), 'bad.yaml': 'a: 1\n---\nb: [1, 2\n' };
    const issues = validateRepository(files).issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      file: 'bad.yaml',
      documentIndex: 1,
      path: '$',
    });
    expect(issues[0].message).toMatch(/^YAML syntax error/);
  });

  it('catches a provider without a composition', () => {
    const files = repo();
    delete files['platform/apis/database/composition-local.yaml'];
    const f = 'environments/dev/infrastructure/database-db.yaml';
    expect(messages(validateRepository(files).issues)).toContain(
      `${f}#0 $.spec.crossplane.compositionSelector.matchLabels: no Composition for Database.platform.epicshelter.io in the repository has the labels {"platform.epicshelter.io/provider":"local"}`,
    );
  });

  it('catches kinds of a platform group that no XRD defines', () => {
    const files = {
      ...repo(),
      'x.yaml': toYaml({
        apiVersion: 'platform.epicshelter.io/v1alpha1',
        kind: 'Queue',
        metadata: { name: 'q', namespace: 'dev' },
        spec: {},
      }),
    };
    expect(messages(validateRepository(files).issues)).toEqual([
      'x.yaml#0 $.kind: no XRD in the repository defines Queue in platform.epicshelter.io/v1alpha1',
    ]);
  });

  it('checks environment documents', () => {
    const files = repo();
    files['environments/dev/environment.yaml'] = files[
      'environments/dev/environment.yaml'
    ].replace('provider: local', 'provider: aws');
    expect(messages(validateRepository(files).issues)).toEqual([
      'environments/dev/environment.yaml#0 $.spec.provider: must be "local" for the local target (got "aws"); use target "cloud" for aws',
    ]);
  });

  it('refuses kustomization references outside the repository', () => {
    const files = repo();
    files['environments/dev/workloads/kustomization.yaml'] +=
      'components:\n  - ../../../../etc\n';
    expect(messages(validateRepository(files).issues)).toEqual([
      'environments/dev/workloads/kustomization.yaml#0 $.components[0]: "../../../../etc" points outside the repository',
    ]);
  });
});

describe('validateNewEnvironment', () => {
  const existing = { ...renderPlatform(), ...base('orders-api') };

  it('accepts a new environment', () => {
    expect(validateNewEnvironment(spec, existing)).toEqual([]);
  });

  it('refuses an environment that already exists', () => {
    expect(
      validateNewEnvironment(spec, {
        ...existing,
        ...generateEnvironment(spec),
      }),
    ).toEqual([
      {
        path: 'spec.name',
        message:
          'environment "dev" already exists in the repository (environments/dev); choose another name',
      },
    ]);
  });

  it('refuses a workload without a base', () => {
    expect(
      validateNewEnvironment({ ...spec, workloads: ['storefront'] }, existing),
    ).toEqual([
      {
        path: 'spec.workloads[0]',
        message:
          'app "storefront" has no base in the repository (apps/storefront/base/kustomization.yaml missing)',
      },
    ]);
  });

  it('returns spec issues for invalid input', () => {
    expect(
      validateNewEnvironment({ ...spec, name: 'X' }, existing)[0].path,
    ).toBe('spec.name');
  });

  it("checks engine versions against the repository's own XRD", () => {
    const narrowed = { ...existing };
    narrowed['platform/apis/database/definition.yaml'] = narrowed[
      'platform/apis/database/definition.yaml'
    ].replace(/- '17'\n(\s+)- '16'/, "- '16'");
    const issues = validateNewEnvironment(spec, narrowed);
    expect(issues.map(i => i.path)).toContain(
      'spec.resources.databases[0].version',
    );
    expect(
      issues.find(i => i.path === 'spec.resources.databases[0].version')!
        .message,
    ).toMatch(
      /^Database version "17" is not offered by the repository's platform API/,
    );
  });

  it('refuses resources the platform API does not define', () => {
    const noBucket = Object.fromEntries(
      Object.entries(existing).filter(
        ([p]) => !p.startsWith('platform/apis/bucket/'),
      ),
    );
    expect(validateNewEnvironment(spec, noBucket)).toEqual([
      expect.objectContaining({ path: 'spec.resources.buckets' }),
    ]);
  });
});
