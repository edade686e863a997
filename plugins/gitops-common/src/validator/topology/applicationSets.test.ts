import { expandApplicationSet, matchesSelector } from './applicationSets';
import { RepositoryTree } from '../repositoryTree';

const files = {
  'environments/dev/environment.yaml':
    'metadata: {name: dev}\nspec: {target: local}\n',
  'environments/prod/environment.yaml':
    'metadata: {name: prod}\nspec: {target: cloud, resources: {kubernetesCluster: {version: "1.33"}}}\n',
  'environments/edge/environment.yaml':
    'metadata: {name: edge}\nspec: {target: cloud}\n',
  'environments/dev/infrastructure/kustomization.yaml': 'resources: []\n',
  'environments/prod/infrastructure/kustomization.yaml': 'resources: []\n',
};

describe('expandApplicationSet', () => {
  it('expands a git files generator with a label selector (matchLabels and matchExpressions)', () => {
    const { applications, problems } = expandApplicationSet(
      new RepositoryTree(files),
      {
        metadata: { namespace: 'argocd' },
        spec: {
          generators: [
            {
              git: { files: [{ path: 'environments/*/environment.yaml' }] },
              selector: {
                matchLabels: { 'spec.target': 'cloud' },
                matchExpressions: [
                  {
                    key: 'spec.resources.kubernetesCluster.version',
                    operator: 'Exists',
                  },
                ],
              },
            },
          ],
          template: {
            metadata: { name: '{{metadata.name}}-bootstrap' },
            spec: {
              source: { path: 'environments/{{ metadata.name }}/bootstrap' },
            },
          },
        },
      },
    );
    expect(problems).toEqual([]);
    expect(applications.map(a => a.value)).toEqual([
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { namespace: 'argocd', name: 'prod-bootstrap' },
        spec: { source: { path: 'environments/prod/bootstrap' } },
      },
    ]);
  });

  it('expands git directories and list generators, and reports the others', () => {
    const { applications, problems } = expandApplicationSet(
      new RepositoryTree(files),
      {
        spec: {
          generators: [
            {
              git: { directories: [{ path: 'environments/*/infrastructure' }] },
            },
            { list: { elements: [{ name: 'extra' }] } },
            { clusters: {} },
          ],
          template: { metadata: { name: '{{path[1]}}{{name}}' } },
        },
      },
    );
    expect(
      applications.map(a => [
        a.generatorIndex,
        (a.value.metadata as { name: string }).name,
      ]),
    ).toEqual([
      [0, 'dev{{name}}'],
      [0, 'prod{{name}}'],
      [1, '{{path[1]}}extra'],
    ]);
    expect(problems).toEqual(['generator 2 (clusters) is not evaluated']);
  });

  it('matches NotIn and DoesNotExist like Kubernetes selectors', () => {
    expect(
      matchesSelector(
        { a: 'x' },
        {
          matchExpressions: [
            { key: 'a', operator: 'NotIn', values: ['y'] },
            { key: 'b', operator: 'DoesNotExist' },
          ],
        },
      ),
    ).toBe(true);
    expect(
      matchesSelector(
        { a: 'y' },
        { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['y'] }] },
      ),
    ).toBe(false);
  });
});
