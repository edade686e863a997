import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples shown on the installed-actions page; a test runs each of them. */
export const examples: TemplateExample[] = [
  {
    description:
      'Add a Redis cache to an existing environment picked in the catalog',
    example: yaml.stringify({
      steps: [
        {
          id: 'add',
          action: 'epicshelter:environment:add-resource',
          name: 'Add cache',
          input: {
            environment: 'resource:default/team-a-dev',
            type: 'cache',
            resource: {
              name: 'sessions',
              engine: 'redis',
              version: '7.2',
              size: 'small',
            },
          },
        },
      ],
    }),
  },
  {
    description: 'Add a versioned bucket',
    example: yaml.stringify({
      steps: [
        {
          id: 'add',
          action: 'epicshelter:environment:add-resource',
          name: 'Add bucket',
          input: {
            environment: 'team-a-dev',
            type: 'bucket',
            resource: { name: 'uploads', versioning: true },
          },
        },
      ],
    }),
  },
];
