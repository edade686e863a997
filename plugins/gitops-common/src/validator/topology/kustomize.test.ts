import { buildKustomization } from './kustomize';
import { RepositoryTree } from '../repositoryTree';

const files: Record<string, string> = {
  'base/kustomization.yaml': 'resources: [deployment.yaml, ../common]\n',
  'base/deployment.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n        - {name: app, image: a}\n        - {name: sidecar, image: s}\n',
  'common/ns.yaml':
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: shared}\n',
  'overlay/kustomization.yaml': [
    'namespace: prod',
    'resources: [../base]',
    'patches:',
    '  - path: patch.yaml',
    '  - target: {group: apps, kind: Deployment, name: api}',
    '    patch: |-',
    '      - op: add',
    '        path: /metadata/labels',
    '        value: {tier: api}',
    '',
  ].join('\n'),
  'overlay/patch.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          envFrom: [{secretRef: {name: db}}]\n',
};

describe('buildKustomization', () => {
  it('resolves resources, namespace and both kinds of patches in memory', () => {
    const { objects, problems } = buildKustomization(
      new RepositoryTree(files),
      'overlay',
    );
    expect(problems).toEqual([]);
    const [deployment, ns] = objects;
    expect(ns.value).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shared' },
    });
    expect(deployment.file).toBe('base/deployment.yaml');
    expect(deployment.patchedBy).toEqual([
      'overlay/patch.yaml',
      'overlay/kustomization.yaml',
    ]);
    expect(deployment.value).toMatchObject({
      metadata: { name: 'api', namespace: 'prod', labels: { tier: 'api' } },
      spec: {
        template: {
          spec: {
            // Strategic merge by name: the sidecar stays, the app gains envFrom.
            containers: [
              {
                name: 'app',
                image: 'a',
                envFrom: [{ secretRef: { name: 'db' } }],
              },
              { name: 'sidecar', image: 's' },
            ],
          },
        },
      },
    });
  });

  it('reports what it cannot resolve instead of guessing', () => {
    const broken = {
      ...files,
      'overlay/kustomization.yaml':
        'resources: [../missing]\npatches: [{path: nope.yaml}]\n',
    };
    expect(
      buildKustomization(new RepositoryTree(broken), 'overlay').problems,
    ).toEqual([
      'missing has no manifests',
      'overlay/kustomization.yaml: patch nope.yaml does not exist',
    ]);
  });
});
