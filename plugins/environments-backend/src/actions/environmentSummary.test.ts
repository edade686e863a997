import { environmentNameOf } from './environmentName';
import { environmentListItem } from './environmentSummary';

describe('environmentNameOf', () => {
  it('takes a name or the entity ref of an environment', () => {
    expect(environmentNameOf('staging')).toBe('staging');
    expect(environmentNameOf(' resource:default/staging ')).toBe('staging');
    expect(environmentNameOf('default/staging')).toBe('staging');
  });

  it.each(['component:default/web', 'resource:team/staging', 'Staging', ''])(
    'refuses %j, naming what it takes',
    value => {
      expect(() => environmentNameOf(value)).toThrow(
        `Environment ${JSON.stringify(
          value,
        )} is neither an environment name (a DNS-1123 label) nor an entity ref resource:default/<name>`,
      );
    },
  );
});

describe('environmentListItem', () => {
  it('reads owner, placement, workloads, resources and expiry from the entity', () => {
    expect(
      environmentListItem({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'pr-42', description: 'Preview of PR 42' },
        spec: {
          type: 'environment',
          owner: 'group:default/team-a',
          environment: {
            target: 'cloud',
            provider: 'aws',
            region: 'eu-west-1',
            crossplaneApi: 'v2',
            workloads: [{ name: 'web', imageTag: '1.2.3', replicas: 2 }],
            resources: [
              {
                type: 'database',
                name: 'main',
                entityRef: 'resource:default/pr-42-database-main',
                crossplane: {
                  apiVersion: 'platform.epicshelter.io/v1alpha1',
                  kind: 'Database',
                  namespace: 'pr-42',
                  name: 'main',
                },
              },
            ],
            expiry: { ttl: '1d', expiresAt: '2026-12-07T05:00:00Z' },
          },
        },
      }),
    ).toEqual({
      name: 'pr-42',
      entityRef: 'resource:default/pr-42',
      owner: 'group:default/team-a',
      description: 'Preview of PR 42',
      target: 'cloud',
      provider: 'aws',
      region: 'eu-west-1',
      workloads: [{ name: 'web', imageTag: '1.2.3', replicas: 2 }],
      resources: [
        {
          type: 'database',
          name: 'main',
          entityRef: 'resource:default/pr-42-database-main',
        },
      ],
      expiresAt: '2026-12-07T05:00:00Z',
      ttl: '1d',
    });
  });

  it('lists an environment registered by hand, without spec.environment', () => {
    expect(
      environmentListItem({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'legacy' },
        spec: { type: 'environment', owner: 'team-b' },
      }),
    ).toEqual({
      name: 'legacy',
      entityRef: 'resource:default/legacy',
      owner: 'team-b',
      workloads: [],
      resources: [],
    });
  });
});
