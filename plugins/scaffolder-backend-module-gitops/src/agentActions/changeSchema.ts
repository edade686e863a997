import type { z as zod } from 'zod/v3';

/** The zod the actions registry hands to schema functions. */
type Zod = typeof zod;

/** Input every agent action that changes an environment takes. */
export const changeInputShape = (z: Zod) => ({
  confirm: z
    .boolean()
    .optional()
    .describe(
      'Left out or false: a dry run that writes nothing and returns the files, the diff and baseCommit. true: opens the change (a pull or merge request, or a commit in a local GitOps repository) and returns its URL and commit.',
    ),
  baseCommit: z
    .string()
    .optional()
    .describe(
      'With confirm: the baseCommit the dry run returned. Nothing is written when the environment changed in the repository since that commit; run the dry run again then.',
    ),
  repository: z
    .string()
    .optional()
    .describe(
      'GitOps repository: gitops.repository (the default) or one of gitops.allowedRepositories',
    ),
  targetBranch: z
    .string()
    .optional()
    .describe('Branch the change is based on; default gitops.defaultBranch'),
});

/** What every agent action that changes an environment returns. */
export const changeOutputSchema = (z: Zod) =>
  z.object({
    dryRun: z.boolean().describe('true: nothing was written'),
    environment: z.string(),
    entityRef: z
      .string()
      .describe("The environment's catalog entity (resource:default/<name>)"),
    title: z.string(),
    summary: z.string().describe('Markdown summary of the change'),
    baseCommit: z
      .string()
      .describe(
        'Commit of the GitOps repository the change was computed from; pass it back with confirm: true',
      ),
    files: z
      .array(z.object({ path: z.string(), content: z.string() }))
      .describe('The files the change writes, as they will be'),
    deleted: z
      .array(z.string())
      .optional()
      .describe('Repository files the change deletes'),
    diff: z
      .string()
      .describe(
        'Unified diff of the written and deleted files against the repository',
      ),
    renderedDiff: z
      .string()
      .optional()
      .describe(
        "Unified diff of the environment's rendered workloads (kustomize build), before and after",
      ),
    renderProblems: z
      .array(z.string())
      .optional()
      .describe('What made the rendered diff incomplete'),
    url: z
      .string()
      .optional()
      .describe(
        'After confirm: where the change is seen (the pull or merge request, or the portal page of the commit)',
      ),
    commitSha: z.string().optional(),
    branch: z.string().optional(),
    pullRequestUrl: z.string().optional(),
  });

/** Input of the change actions, as parsed. */
export type ChangeInput = {
  confirm?: boolean;
  baseCommit?: string;
  repository?: string;
  targetBranch?: string;
};
