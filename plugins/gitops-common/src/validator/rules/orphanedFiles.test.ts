import { parseRepositoryDocuments } from '../validateRepository';
import { orphanedFilesRule } from './orphanedFiles';
import { runRules } from './engine';

const kustomization = (...resources: string[]) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources
    .map(r => `  - ${r}`)
    .join('\n')}\n`;

const check = (files: Record<string, string>) =>
  runRules(
    [orphanedFilesRule],
    files,
    parseRepositoryDocuments(files).documents,
  );

describe('orphaned-files rule', () => {
  const tree = {
    'environments/dev/environment.yaml': 'kind: Environment\n',
    'environments/dev/infrastructure/kustomization.yaml': kustomization(
      'database-db.yaml',
      'cache',
    ),
    'environments/dev/infrastructure/database-db.yaml': 'kind: Database\n',
    'environments/dev/infrastructure/cache/kustomization.yaml':
      kustomization('cache.yaml'),
    'environments/dev/infrastructure/cache/cache.yaml': 'kind: Cache\n',
    'environments/dev/workloads/kustomization.yaml':
      'resources:\n  - ../../../apps/api/base\npatches:\n  - path: patches/api.yaml\n',
    'environments/dev/workloads/patches/api.yaml': 'kind: Deployment\n',
    'apps/api/base/unlisted.yaml': 'kind: ConfigMap\n',
  };

  it('accepts a tree whose environment files are all referenced (spec file and kustomizations exempt, apps/ not checked)', () => {
    expect(check(tree)).toEqual([]);
  });

  it('reports a claim file no kustomization references, e.g. left by a lost concurrent write', () => {
    expect(
      check({
        ...tree,
        'environments/dev/infrastructure/database-old.yaml': 'kind: Database\n',
      }),
    ).toEqual([
      {
        file: 'environments/dev/infrastructure/database-old.yaml',
        documentIndex: -1,
        path: '$',
        message:
          'no kustomization references this file, so Argo CD never applies it; add it to environments/dev/infrastructure/kustomization.yaml or delete it',
      },
    ]);
  });

  it('reports a file left behind when its directory is no longer referenced by name', () => {
    const files = {
      ...tree,
      'environments/dev/infrastructure/kustomization.yaml': kustomization(
        'database-db.yaml',
        'cache/cache.yaml',
      ),
      'environments/dev/infrastructure/cache/stale.yaml': 'kind: Cache\n',
    };
    expect(check(files).map(i => i.file)).toEqual([
      'environments/dev/infrastructure/cache/stale.yaml',
    ]);
  });
});
