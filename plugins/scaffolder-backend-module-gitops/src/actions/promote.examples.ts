import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples shown on the installed-actions page; a test runs each of them. */
export const examples: TemplateExample[] = [
  {
    description: "Promote one workload's image tag from staging to prod",
    example: yaml.stringify({
      steps: [
        {
          id: 'promote',
          action: 'epicshelter:environment:promote',
          name: 'Promote orders-api',
          input: {
            from: 'resource:default/staging',
            to: 'resource:default/prod',
            workloads: ['orders-api'],
          },
        },
      ],
    }),
  },
  {
    description:
      'Promote every workload whose release differs, with its replicas, and show the rendered diff',
    example: yaml.stringify({
      steps: [
        {
          id: 'promote',
          action: 'epicshelter:environment:promote',
          name: 'Promote everything that differs',
          input: { from: 'staging', to: 'prod', copyConfig: true },
        },
        {
          id: 'publish',
          action: 'epicshelter:gitops:publish',
          name: 'Open the pull request',
          input: {
            environment: '${{ steps.promote.output.name }}',
            title: '${{ steps.promote.output.title }}',
            sourcePath: 'gitops',
            description: '${{ steps.promote.output.body }}',
          },
        },
      ],
    }),
  },
];
