import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples shown on the installed-actions page; a test runs each of them. */
export const examples: TemplateExample[] = [
  {
    description:
      'Decommission an environment, confirmed by typing its name, and publish the change',
    example: yaml.stringify({
      steps: [
        {
          id: 'decommission',
          action: 'epicshelter:environment:decommission',
          name: 'Plan the decommission',
          input: {
            environment: 'resource:default/team-a-dev',
            confirmation: 'team-a-dev',
          },
        },
        {
          id: 'publish',
          action: 'epicshelter:gitops:publish',
          name: 'Publish the change',
          input: {
            environment: '${{ steps.decommission.output.name }}',
            title: '${{ steps.decommission.output.title }}',
            sourcePath: 'gitops',
            description: '${{ steps.decommission.output.body }}',
            commitMessage: '${{ steps.decommission.output.commitMessage }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Decommission an environment but keep (orphan) its database, whose data must survive: the first run records the protect step (the database and its namespace marked so that neither Argo CD nor Crossplane deletes them); run it again once the decommission page shows the protection live, and it records the removal',
    example: yaml.stringify({
      steps: [
        {
          id: 'decommission',
          action: 'epicshelter:environment:decommission',
          name: 'Plan the decommission',
          input: {
            environment: 'team-a-dev',
            confirmation: 'team-a-dev',
            orphan: ['orders-db'],
          },
        },
      ],
    }),
  },
];
