import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples shown on the installed-actions page; a test runs each of them. */
export const examples: TemplateExample[] = [
  {
    description:
      'Commit the rendered environment to the GitOps repository configured in app-config (gitops.repository)',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'epicshelter:gitops:publish',
          name: 'Publish',
          input: {
            environment: 'team-a-dev',
            sourcePath: 'gitops',
          },
        },
      ],
    }),
  },
  {
    description:
      'Open a pull request on GitHub with labels, reviewers and a summary',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'epicshelter:gitops:publish',
          name: 'Open pull request',
          input: {
            environment: 'team-a-dev',
            repository: 'github.com?owner=epicshelter&repo=gitops',
            sourcePath: 'gitops',
            targetBranch: 'main',
            title: 'Create environment team-a-dev',
            description:
              'Environment `team-a-dev` for team A: postgres 16, one bucket.',
            labels: ['environment', 'portal'],
            reviewers: ['platform-lead'],
          },
        },
      ],
    }),
  },
  {
    description:
      'Commit to a branch of a local repository instead of the default branch',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'epicshelter:gitops:publish',
          name: 'Commit on a branch',
          input: {
            environment: 'team-a-dev',
            sourcePath: 'gitops',
            mode: 'branch',
            branchPrefix: 'env/',
          },
        },
      ],
    }),
  },
];
