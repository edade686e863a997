import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples shown on the installed-actions page; a test runs each of them. */
export const examples: TemplateExample[] = [
  {
    description:
      'Render a local environment with a PostgreSQL database and a web workload',
    example: yaml.stringify({
      steps: [
        {
          id: 'create',
          action: 'epicshelter:environment:create',
          name: 'Create environment',
          input: {
            spec: {
              name: 'team-b-dev',
              owner: 'group:default/team-a',
              target: 'local',
              provider: 'local',
              workloads: ['web'],
              resources: {
                databases: [
                  {
                    name: 'main',
                    engine: 'postgres',
                    version: '16',
                    size: 'small',
                  },
                ],
              },
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Render a cloud environment on AWS with legacy (v1) claims, a bucket, a cache and its own Kubernetes cluster',
    example: yaml.stringify({
      steps: [
        {
          id: 'create',
          action: 'epicshelter:environment:create',
          name: 'Create environment',
          input: {
            outputPath: 'gitops',
            spec: {
              name: 'shop-prod',
              owner: 'group:default/shop',
              target: 'cloud',
              provider: 'aws',
              region: 'eu-west-1',
              crossplaneApi: 'v1',
              resources: {
                buckets: [{ name: 'assets', versioning: true }],
                caches: [{ name: 'sessions', engine: 'redis', size: 'medium' }],
                kubernetesCluster: {},
              },
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Render an ephemeral preview environment that expires one day after it is created',
    example: yaml.stringify({
      steps: [
        {
          id: 'create',
          action: 'epicshelter:environment:create',
          name: 'Create a preview environment',
          input: {
            ttl: '1d',
            spec: {
              name: 'preview-42',
              owner: 'group:default/team-a',
              target: 'local',
              provider: 'local',
              workloads: ['web'],
            },
          },
        },
      ],
    }),
  },
];
