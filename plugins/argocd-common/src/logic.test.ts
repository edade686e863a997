import {
  classifyApplication,
  commitUrl,
  groupApplications,
  applicationSetConditionState,
  describeSource,
  shortRevision,
  sourceRevisions,
} from './logic';
import { getArgoCdLocator, isArgoCdAvailable } from './annotations';
import { ApplicationSummary } from './api-types';

const summary = (
  name: string,
  instance: string,
  labels: Record<string, string> = {},
): ApplicationSummary => ({
  instance,
  name,
  labels,
  ...classifyApplication(name, labels),
  sources: [],
  multiSource: false,
  syncStatus: 'Synced',
  healthStatus: 'Healthy',
  conditions: [],
});

describe('classifyApplication', () => {
  it('prefers the environment label and takes the layer from the name', () => {
    expect(
      classifyApplication('dev-workloads', {
        'epicshelter.io/environment': 'development',
      }),
    ).toEqual({ environment: 'development', layer: 'workloads' });
  });
  it('falls back to the name for the environment', () => {
    expect(classifyApplication('staging-infrastructure', {})).toEqual({
      environment: 'staging',
      layer: 'infrastructure',
    });
    expect(classifyApplication('orders-api', {})).toEqual({
      environment: undefined,
      layer: 'other',
    });
  });
});

describe('groupApplications', () => {
  it('puts the two applications of an environment side by side per instance', () => {
    const groups = groupApplications([
      summary('staging-workloads', 'cloud'),
      summary('dev-infrastructure', 'local'),
      summary('dev-workloads', 'local'),
      summary('orders-api-dev', 'local', {
        'epicshelter.io/environment': 'dev',
      }),
      summary('unrelated', 'local'),
    ]);
    expect(
      groups.map(g => [
        g.environment,
        g.instance,
        g.workloads.map(a => a.name),
        g.infrastructure.map(a => a.name),
        g.other.map(a => a.name),
      ]),
    ).toEqual([
      [
        'dev',
        'local',
        ['dev-workloads'],
        ['dev-infrastructure'],
        ['orders-api-dev'],
      ],
      ['staging', 'cloud', ['staging-workloads'], [], []],
      [undefined, 'local', [], [], ['unrelated']],
    ]);
  });
});

describe('commitUrl', () => {
  it('builds links for GitHub, GitLab and ssh remotes', () => {
    const sha = '53e28ff20cc530b9ada2173fbbd64d48338583ba';
    expect(
      commitUrl('https://github.com/argoproj/argocd-example-apps.git', sha),
    ).toBe(`https://github.com/argoproj/argocd-example-apps/commit/${sha}`);
    expect(commitUrl('git@gitlab.com:group/repo.git', sha)).toBe(
      `https://gitlab.com/group/repo/-/commit/${sha}`,
    );
    expect(commitUrl('https://github.com/a/b', '1.2.3')).toBeUndefined();
    expect(commitUrl('oci://registry/charts', sha)).toBeUndefined();
  });
  it('shortens SHAs only', () => {
    expect(shortRevision('53e28ff20cc530b9ada2173fbbd64d48338583ba')).toBe(
      '53e28ff',
    );
    expect(shortRevision('1.2.3')).toBe('1.2.3');
  });
});

describe('getArgoCdLocator', () => {
  const entity = (
    annotations: Record<string, string>,
    kind = 'Component',
    type = 'service',
  ) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'dev', annotations },
    spec: { type },
  });
  it('reads the Roadie/community annotations', () => {
    expect(
      getArgoCdLocator(
        entity({
          'argocd/app-selector': 'app.kubernetes.io/name=orders-api',
          'argocd/instance-name': 'local',
          'argocd/app-namespace': 'team-a',
        }),
      ),
    ).toEqual({
      appSelector: 'app.kubernetes.io/name=orders-api',
      instanceName: 'local',
      appNamespace: 'team-a',
    });
  });
  it('selects environment applications by label for environment resources', () => {
    expect(getArgoCdLocator(entity({}, 'Resource', 'environment'))).toEqual({
      appSelector: 'epicshelter.io/environment=dev',
    });
    expect(isArgoCdAvailable(entity({}))).toBe(false);
  });
});

describe('sourceRevisions', () => {
  const chart = { repoURL: 'https://charts.example.com', chart: 'nginx' };
  const git = { repoURL: 'https://github.com/acme/cfg.git', path: 'prod' };
  const sha = '53e28ff20cc530b9ada2173fbbd64d48338583ba';

  it('pairs revisions[i] with sources[i] on multi-source applications', () => {
    expect(sourceRevisions([chart, git], undefined, ['1.2.3', sha])).toEqual([
      { index: 0, source: chart, revision: '1.2.3', commitUrl: undefined },
      {
        index: 1,
        source: git,
        revision: sha,
        commitUrl: `https://github.com/acme/cfg/commit/${sha}`,
      },
    ]);
  });

  it('gives the only source the revision of a single-source application', () => {
    expect(sourceRevisions([git], sha, undefined)[0].revision).toBe(sha);
    expect(sourceRevisions([git], undefined, undefined)[0].revision).toBe(
      undefined,
    );
  });

  it('says what a source deploys', () => {
    expect([chart, git, { ref: 'values' }, {}].map(describeSource)).toEqual([
      'chart nginx',
      'path prod',
      'ref values',
      'repository root',
    ]);
  });
});

describe('applicationSetConditionState', () => {
  it('reads the four ApplicationSet conditions as Argo CD means them', () => {
    const state = (type: string, status: string) =>
      applicationSetConditionState({ type, status });
    expect([
      state('ErrorOccurred', 'True'),
      state('ErrorOccurred', 'False'),
      state('ParametersGenerated', 'False'),
      state('ParametersGenerated', 'True'),
      state('ResourcesUpToDate', 'False'),
      state('ResourcesUpToDate', 'True'),
      state('RolloutProgressing', 'True'),
      state('RolloutProgressing', 'False'),
    ]).toEqual(['error', 'ok', 'error', 'ok', 'error', 'ok', 'progress', 'ok']);
  });
});
