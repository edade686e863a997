import type { z } from 'zod/v3';

/** The zod the scaffolder hands to schema functions. */
type Zod = typeof z;

/** Input `repository` of the actions that read the GitOps repository. */
export const repositoryInput = (zImpl: Zod) =>
  zImpl
    .string({
      description:
        'GitOps repository (local path or GitHub URL); defaults to gitops.repository',
    })
    .optional();

/**
 * Output of the actions that render an environment change into the
 * workspace: what `epicshelter:gitops:publish` and the template need.
 */
export const environmentChangeOutput = {
  name: (zImpl: Zod) => zImpl.string(),
  entityRef: (zImpl: Zod) => zImpl.string(),
  files: (zImpl: Zod) => zImpl.array(zImpl.string()),
  outputPath: (zImpl: Zod) => zImpl.string(),
  summary: (zImpl: Zod) => zImpl.string(),
  title: (zImpl: Zod) => zImpl.string(),
  baseCommit: (zImpl: Zod) =>
    zImpl.string({
      description:
        'The commit of the GitOps repository the change was computed from (empty for a repository not created yet); pass it to epicshelter:gitops:publish',
    }),
};
