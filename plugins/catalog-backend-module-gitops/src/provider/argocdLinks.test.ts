import { parseEnvironmentSpec } from '@epicshelter/plugin-gitops-common';
import { RepositoryDescription, environmentEntities } from './entities';

const repo = (
  over: Partial<RepositoryDescription> = {},
): RepositoryDescription => ({
  kind: 'local',
  location: '/srv/gitops',
  branch: 'main',
  branchPrefix: 'epicshelter/',
  argoCdUrls: [
    { name: 'local', url: 'https://argocd.local.example.com' },
    { name: 'cloud', url: 'https://argocd.cloud.example.com/' },
    { name: 'eks-prod', url: 'https://argocd.eks.example.com' },
  ],
  ...over,
});

const argoLinks = (target: 'local' | 'cloud', r: RepositoryDescription) => {
  const spec = parseEnvironmentSpec(
    target === 'local'
      ? { name: 'dev', owner: 'group:default/a', target, provider: 'local' }
      : {
          name: 'prod',
          owner: 'group:default/a',
          target,
          provider: 'aws',
          region: 'eu-west-1',
          resources: { kubernetesCluster: {} },
        },
  );
  const [environment] = environmentEntities(spec, r);
  return (environment.metadata.links ?? [])
    .filter(l => l.type === 'argocd-application')
    .map(l => l.url);
};

describe('Argo CD links of an environment', () => {
  it('link only the Argo CD instance of the cluster that runs it', () => {
    expect(argoLinks('local', repo())).toEqual([
      'https://argocd.local.example.com/applications/argocd/dev-workloads',
      'https://argocd.local.example.com/applications/argocd/dev-infrastructure',
    ]);
    expect(argoLinks('cloud', repo())).toEqual([
      'https://argocd.cloud.example.com/applications/argocd/prod-workloads',
      'https://argocd.cloud.example.com/applications/argocd/prod-infrastructure',
    ]);
  });

  it('follow epicshelter.environments.argocdInstances, and link nothing when the instance is not configured', () => {
    const mapped = repo({
      argoCdInstancesByTarget: { local: 'local', cloud: 'eks-prod' },
    });
    expect(argoLinks('cloud', mapped)).toEqual([
      'https://argocd.eks.example.com/applications/argocd/prod-workloads',
      'https://argocd.eks.example.com/applications/argocd/prod-infrastructure',
    ]);
    expect(
      argoLinks('cloud', repo({ argoCdUrls: [repo().argoCdUrls![0]] })),
    ).toEqual([]);
  });
});
