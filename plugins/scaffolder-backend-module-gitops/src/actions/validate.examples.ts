import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples shown on the installed-actions page; a test runs each of them. */
export const examples: TemplateExample[] = [
  {
    description:
      'Validate the repository with the rendered change applied, before publishing it',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'epicshelter:gitops:validate',
          name: 'Validate',
          input: { sourcePath: 'gitops' },
        },
      ],
    }),
  },
];
