import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  formatValidationIssues,
  validateRepository,
} from '@epicshelter/plugin-gitops-common';
import { examples } from './validate.examples';
import { RepositoryAccess, readTaskRepository } from '../repository';
import { repositoryInput } from './schema';
import { readChangeFromWorkspace } from '../publish/workspace';
import { reportingFailures } from './taskFailure';

/**
 * Applies a change to a repository's files (in place) and runs the GitOps
 * validator over the result; InputError listing every problem when it
 * would be invalid.
 * @public
 */
export function assertValidAfterChange(
  tree: Record<string, string>,
  change: ReadonlyArray<{ path: string; content: string }>,
): void {
  for (const file of change) tree[file.path] = file.content;
  const result = validateRepository(tree);
  if (!result.ok) {
    throw new InputError(
      `The GitOps repository would be invalid after this change (${
        result.issues.length
      } problem${
        result.issues.length === 1 ? '' : 's'
      }):\n${formatValidationIssues(result.issues)}`,
    );
  }
}

/**
 * `epicshelter:gitops:validate`: runs the GitOps validator over the
 * repository as it would be after the change in the workspace.
 * @public
 */
export function createGitOpsValidateAction(access: RepositoryAccess) {
  return createTemplateAction({
    id: 'epicshelter:gitops:validate',
    description:
      'Validates the GitOps repository as it would be after the change in the workspace (YAML, Argo CD schemas, XRD schemas, references, unique names). Fails with the validator messages.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        sourcePath: z =>
          z
            .string({
              description:
                'Workspace directory holding the change, laid out as the repository (default "gitops")',
            })
            .optional(),
        repository: repositoryInput,
        targetBranch: z =>
          z.string({ description: 'Branch the change applies to' }).optional(),
      },
      output: {
        fileCount: z => z.number(),
        changedFiles: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      return reportingFailures(ctx, access.config, async logger => {
        const change = await readChangeFromWorkspace(
          ctx.workspacePath,
          ctx.input.sourcePath ?? 'gitops',
        );
        if (change.length === 0) {
          throw new InputError(
            'The change is empty: there is nothing to validate',
          );
        }
        const tree = await readTaskRepository(access, ctx.input, logger);
        assertValidAfterChange(tree, change);
        logger.info(
          `GitOps repository valid after the change: ${
            Object.keys(tree).length
          } files, ${change.length} changed`,
        );
        ctx.output('fileCount', Object.keys(tree).length);
        ctx.output(
          'changedFiles',
          change.map(f => f.path),
        );
      });
    },
  });
}
