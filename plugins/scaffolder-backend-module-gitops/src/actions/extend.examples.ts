import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples shown on the installed-actions page; a test runs each of them. */
export const examples: TemplateExample[] = [
  {
    description: 'Give an ephemeral environment one more day',
    example: yaml.stringify({
      steps: [
        {
          id: 'extend',
          action: 'epicshelter:environment:extend',
          name: 'Extend preview-42',
          input: { environment: 'resource:default/preview-42', by: '1d' },
        },
        {
          id: 'publish',
          action: 'epicshelter:gitops:publish',
          name: 'Publish the new expiry',
          input: {
            environment: '${{ steps.extend.output.name }}',
            title: '${{ steps.extend.output.title }}',
            description: '${{ steps.extend.output.summary }}',
          },
        },
      ],
    }),
  },
];
