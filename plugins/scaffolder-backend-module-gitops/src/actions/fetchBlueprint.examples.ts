import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples shown on the installed-actions page; a test runs each of them. */
export const examples: TemplateExample[] = [
  {
    description:
      'Put the GitOps repository blueprint into gitops/ of the workspace, ready for publish:github or epicshelter:gitops:publish',
    example: yaml.stringify({
      steps: [
        {
          id: 'blueprint',
          action: 'epicshelter:blueprint:fetch',
          name: 'Fetch the blueprint',
          input: { targetPath: 'gitops' },
        },
      ],
    }),
  },
];
