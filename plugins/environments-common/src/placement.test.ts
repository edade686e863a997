import { ConfigReader } from '@backstage/config';
import {
  EnvironmentPlacementInput,
  computePlacement,
  readArgoCdInstancesByTarget,
} from './placement';

const synced = (instance: string, name: string) => ({
  instance,
  name,
  syncStatus: 'Synced',
  healthStatus: 'Healthy',
});

function cloud(
  over: Partial<EnvironmentPlacementInput> = {},
): EnvironmentPlacementInput {
  return {
    environment: 'prod',
    target: 'cloud',
    provider: 'aws',
    region: 'eu-west-1',
    applications: {
      workloads: 'prod-workloads',
      infrastructure: 'prod-infrastructure',
    },
    liveApplications: [
      synced('cloud', 'prod-workloads'),
      synced('cloud', 'prod-infrastructure'),
    ],
    clusterResource: {
      kind: 'KubernetesCluster',
      name: 'prod-main',
      status: 'ready',
    },
    instances: { local: 'local', cloud: 'cloud' },
    ...over,
  };
}

describe('computePlacement', () => {
  it('a local environment runs on the local cluster, linked to the local instance', () => {
    const p = computePlacement(
      cloud({ target: 'local', provider: 'local', region: undefined }),
    );
    expect(p).toMatchObject({
      phase: 'local',
      cluster: 'the local cluster',
      argoCdInstance: 'local',
    });
    expect(p.summary).toBe(
      'Runs on the local cluster, whose Argo CD (instance local) and Crossplane reconcile its workloads and its in-cluster substitutes for cloud resources.',
    );
  });

  it.each<[string, Partial<EnvironmentPlacementInput>, string]>([
    [
      'its cluster is not created yet',
      {
        clusterResource: {
          kind: 'KubernetesCluster',
          name: 'prod-main',
          status: 'not-created',
        },
      },
      'Bootstrapping: its Kubernetes cluster KubernetesCluster prod-main is not created yet.',
    ],
    [
      'its cluster is failing',
      {
        clusterResource: {
          kind: 'KubernetesCluster',
          name: 'prod-main',
          status: 'failing',
          message: 'Ready=False Creating',
        },
      },
      'Bootstrapping: its Kubernetes cluster KubernetesCluster prod-main is not ready (Ready=False Creating).',
    ],
    [
      'the cloud Argo CD does not run its applications yet (only the local one does)',
      {
        liveApplications: [
          synced('local', 'prod-workloads'),
          synced('local', 'prod-infrastructure'),
        ],
      },
      'Bootstrapping: Argo CD instance cloud does not run prod-infrastructure yet.',
    ],
    [
      'its infrastructure application is not synced yet on the cloud instance',
      {
        liveApplications: [
          synced('cloud', 'prod-workloads'),
          {
            ...synced('cloud', 'prod-infrastructure'),
            syncStatus: 'OutOfSync',
          },
        ],
      },
      'Bootstrapping: prod-infrastructure on Argo CD instance cloud is OutOfSync.',
    ],
  ])('a cloud environment is bootstrapping while %s', (_t, over, start) => {
    const p = computePlacement(cloud(over));
    expect(p.phase).toBe('bootstrapping');
    expect(p.argoCdInstance).toBe('cloud');
    expect(p.summary.startsWith(start)).toBe(true);
    expect(p.summary).toContain('its own aws cluster in eu-west-1');
  });

  it('a cloud environment is self-managed once its own Argo CD runs both applications synced', () => {
    expect(computePlacement(cloud())).toEqual({
      target: 'cloud',
      phase: 'self-managed',
      cluster: 'its own aws cluster in eu-west-1',
      infrastructureOwner:
        "the environment's own aws cluster in eu-west-1: its Argo CD (instance cloud) and Crossplane",
      argoCdInstance: 'cloud',
      summary:
        'Self-managed: runs in its own aws cluster in eu-west-1, whose Argo CD (instance cloud) reconciles its infrastructure and workloads from the GitOps repository, independently of any local cluster.',
    });
  });

  it('uses the configured instance of each target', () => {
    const instances = readArgoCdInstancesByTarget(
      new ConfigReader({
        epicshelter: {
          environments: { argocdInstances: { cloud: 'eks-prod' } },
        },
      }),
    );
    expect(instances).toEqual({ local: 'local', cloud: 'eks-prod' });
    const p = computePlacement(
      cloud({
        instances,
        liveApplications: [
          synced('eks-prod', 'prod-workloads'),
          synced('eks-prod', 'prod-infrastructure'),
        ],
      }),
    );
    expect(p).toMatchObject({
      phase: 'self-managed',
      argoCdInstance: 'eks-prod',
    });
    expect(readArgoCdInstancesByTarget(new ConfigReader({}))).toEqual({
      local: 'local',
      cloud: 'cloud',
    });
  });
});
