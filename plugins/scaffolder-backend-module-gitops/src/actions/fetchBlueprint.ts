import { InputError } from '@backstage/errors';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './fetchBlueprint.examples';
import type { BlueprintLoader } from '../repository';
import { writeChangeToWorkspace } from '../publish/workspace';

/**
 * `epicshelter:blueprint:fetch`: writes the GitOps repository blueprint the
 * backend ships with (the one the local default repository is created from)
 * into the workspace. Unlike `fetch:plain` with a path relative to the
 * template, it works wherever the template is registered from (a file
 * location, a URL, or a dry run of an edited template).
 * @public
 */
export function createBlueprintFetchAction(options: {
  loadBlueprint: BlueprintLoader;
}) {
  return createTemplateAction({
    id: 'epicshelter:blueprint:fetch',
    description:
      'Writes the Epicshelter GitOps repository blueprint (platform API, cluster bootstrap, Argo CD root applications, app bases) into the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        targetPath: z =>
          z
            .string({
              description:
                'Workspace directory to write the blueprint into (default "gitops")',
            })
            .optional(),
      },
      output: {
        targetPath: z => z.string(),
        files: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      const targetPath = ctx.input.targetPath ?? 'gitops';
      try {
        resolveSafeChildPath(ctx.workspacePath, targetPath);
      } catch {
        throw new InputError(
          `targetPath "${targetPath}" must be a directory inside the workspace`,
        );
      }
      const files = await options.loadBlueprint();
      if (files.length === 0) {
        throw new InputError('The GitOps blueprint is empty: nothing to fetch');
      }
      await writeChangeToWorkspace(ctx.workspacePath, targetPath, files);
      ctx.logger.info(
        `Wrote the GitOps blueprint into ${targetPath}/: ${files.length} files`,
      );
      ctx.output('targetPath', targetPath);
      ctx.output(
        'files',
        files.map(f => f.path),
      );
    },
  });
}
