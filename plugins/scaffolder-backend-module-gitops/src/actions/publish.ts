import { InputError } from '@backstage/errors';
import type { Config } from '@backstage/config';
import type {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import { examples } from './publish.examples';
import type { GitOpsPublisher } from '@epicshelter/plugin-gitops-node';
import type { GithubClientTuning } from '../publish/github/octokit';
import { createGithubGitOpsPublisher } from '../publish/github/githubGitOpsPublisher';
import { createLocalGitOpsPublisher } from '../publish/local/localGitOpsPublisher';
import {
  GitlabClientTuning,
  createGitlabGitOpsPublisher,
} from '../publish/gitlab/gitlabGitOpsPublisher';
import { describeLocation } from '../publish/publishers';
import { readChangeFromWorkspace } from '../publish/workspace';
import { CheckpointFn, ChangeGuard } from '../publish/types';
import { provenanceOf } from '../publish/provenance';
import { readChangeRecord } from '../publish/changeRecord';
import { readDeletionRecord } from '../publish/deletionRecord';
import {
  PublishDeps,
  prepareChange,
  publishPreparedChange,
} from '../publish/publishChange';
import type { BlueprintLoader } from '../repository';
import type { EventsService } from '@backstage/plugin-events-node';
import { reportingFailures } from './taskFailure';

/** Dependencies of the publish action. @public */
export type GitOpsPublishActionOptions = {
  integrations: ScmIntegrationRegistry;
  config: Config;
  githubCredentialsProvider?: GithubCredentialsProvider;
  /** Octokit retry/throttle tuning; tests shorten the waits. */
  githubTuning?: GithubClientTuning;
  /** GitLab retry tuning; tests shorten the waits. */
  gitlabTuning?: GitlabClientTuning;
  /**
   * Publishers asked before the built-in ones (local git, GitHub, GitLab);
   * the first that supports the repository publishes. Adopter modules add
   * them through `gitopsPublishersExtensionPoint`.
   */
  publishers?: GitOpsPublisher[];
  /** Blueprint for creating the local repository on first use. */
  loadBlueprint?: BlueprintLoader;
  /**
   * Where to announce a published change (`epicshelter.gitops.changed`), so
   * the GitOps catalog provider refreshes right away.
   */
  events?: EventsService;
};

export { pullRequestBody } from '../publish/publishChange';

/**
 * The publishers of the action: the given ones first, then local git,
 * GitHub and GitLab.
 * @public
 */
export function gitOpsPublishers(
  options: GitOpsPublishActionOptions,
): GitOpsPublisher[] {
  return [
    ...(options.publishers ?? []),
    createLocalGitOpsPublisher({
      config: options.config,
      loadBlueprint: options.loadBlueprint,
    }),
    createGithubGitOpsPublisher({
      integrations: options.integrations,
      credentialsProvider: options.githubCredentialsProvider,
      tuning: options.githubTuning,
    }),
    createGitlabGitOpsPublisher({
      integrations: options.integrations,
      tuning: options.gitlabTuning,
    }),
  ];
}

/**
 * `epicshelter:gitops:publish`: writes the files of the workspace to the
 * GitOps repository — a GitHub pull request with one commit, or one commit in
 * a local git repository.
 * @public
 */
export function createGitOpsPublishAction(options: GitOpsPublishActionOptions) {
  const { integrations, config } = options;
  const deps: PublishDeps = {
    config,
    integrations,
    publishers: gitOpsPublishers(options),
    events: options.events,
  };
  return createTemplateAction({
    id: 'epicshelter:gitops:publish',
    description:
      'Publishes the GitOps change in the workspace: one commit and one pull request on GitHub, one commit and one merge request on GitLab, or one commit in the local GitOps repository (or what a publisher an adopter module added does). Re-running updates the same branch and pull/merge request.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        environment: z =>
          z
            .string({
              description:
                'Environment the change belongs to; names the branch (<branchPrefix><environment>)',
            })
            .optional(),
        branchName: z =>
          z
            .string({
              description:
                'Change branch name (without prefix) when the change is not about one environment, e.g. "bootstrap"',
            })
            .optional(),
        initialize: z =>
          z
            .boolean({
              description:
                'Local repositories only: create the repository at the path when it does not exist, with the workspace files as its first commit',
            })
            .optional(),
        repository: z =>
          z
            .string({
              description:
                'GitOps repository: a local path, https://<github-host>/<owner>/<repo>, https://<gitlab-host>/<group>/<project> or github.com?owner=<owner>&repo=<repo>. Defaults to gitops.repository from app-config.',
            })
            .optional(),
        sourcePath: z =>
          z
            .string({
              description:
                'Workspace directory that holds the changed files, laid out as in the repository',
            })
            .optional(),
        targetBranch: z =>
          z
            .string({
              description:
                'Base branch; defaults to gitops.defaultBranch, else the repository default',
            })
            .optional(),
        branchPrefix: z =>
          z.string({ description: 'Prefix of the change branch' }).optional(),
        mode: z =>
          z
            .enum(['pull-request', 'branch', 'direct'], {
              description:
                'GitHub and GitLab always open a pull/merge request; a local repository takes a commit on a branch or directly on the base branch (default gitops.localMode, else direct)',
            })
            .optional(),
        title: z =>
          z
            .string({ description: 'Pull request title / commit subject' })
            .optional(),
        description: z =>
          z
            .string({
              description:
                'Markdown summary of the environment, placed at the top of the pull request body',
            })
            .optional(),
        commitMessage: z =>
          z.string({ description: 'Commit message' }).optional(),
        labels: z =>
          z
            .array(z.string(), { description: 'Pull request labels' })
            .optional(),
        reviewers: z =>
          z
            .array(z.string(), { description: 'GitHub users asked to review' })
            .optional(),
        teamReviewers: z =>
          z
            .array(z.string(), { description: 'GitHub teams asked to review' })
            .optional(),
        draft: z =>
          z
            .boolean({ description: 'Open the pull request as a draft' })
            .optional(),
        baseCommit: z =>
          z
            .string({
              description:
                'The commit the change was computed from (output baseCommit of epicshelter:environment:create / add-resource). Nothing is written when the guarded paths changed since, on the base branch or on a pending change branch; by default the base those actions recorded in the workspace.',
            })
            .optional(),
        guardPaths: z =>
          z
            .array(z.string(), {
              description:
                'Repository paths (files or folders) the change depends on; default the environment folder the render action recorded, else the published files',
            })
            .optional(),
        token: z =>
          z
            .string({
              description:
                'Token of the user for the Git host; otherwise the integration credentials are used',
            })
            .optional(),
      },
      output: {
        repositoryType: z =>
          z.string({
            description:
              'Which publisher wrote the change: github, gitlab, local, or one an adopter module added',
          }),
        commitSha: z => z.string(),
        branch: z => z.string(),
        remoteUrl: z =>
          z
            .string({
              description:
                "The pull/merge request URL; for the portal's local repository (gitops.repository) the portal page of the commit (/gitops/commits/<sha>); absent for another local repository (no page, and no server path is shown) and for a dry run of a local one",
            })
            .optional(),
        pullRequestUrl: z => z.string().optional(),
        pullRequestNumber: z => z.number().optional(),
        files: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      return reportingFailures(ctx, config, async logger => {
        const { input } = ctx;
        const files = await readChangeFromWorkspace(
          ctx.workspacePath,
          input.sourcePath ?? '.',
        );
        const recorded = await readChangeRecord(ctx.workspacePath);
        const deletions = await readDeletionRecord(ctx.workspacePath);
        const guard: ChangeGuard | undefined =
          input.baseCommit !== undefined
            ? {
                baseCommit: input.baseCommit,
                paths:
                  input.guardPaths ?? recorded?.paths ?? files.map(f => f.path),
                kind: recorded?.kind ?? 'changed',
              }
            : recorded && {
                ...recorded,
                paths: input.guardPaths ?? recorded.paths,
              };
        const prepared = prepareChange(deps, {
          ...input,
          files,
          deletions,
          guard,
          provenance: provenanceOf(ctx.user, ctx.task?.id),
        });
        if (files.length === 0 && deletions.length === 0) {
          throw new InputError(
            `There are no files to publish in ${
              input.sourcePath ?? '.'
            } of the workspace`,
          );
        }
        const { target, publisher } = prepared;
        const { branch } = prepared.options.request;
        ctx.output(
          'files',
          files.map(f => f.path),
        );

        if (ctx.isDryRun) {
          logger.info(
            `Dry run: would publish ${
              files.length
            } file(s) to ${describeLocation(target)} on branch ${branch} (${
              publisher.type
            })`,
          );
          for (const file of files) {
            logger.info(`--- ${file.path}\n${file.content}`);
          }
          for (const deleted of deletions) {
            logger.info(`--- ${deleted} (deleted)`);
          }
          ctx.output('repositoryType', publisher.type);
          ctx.output('commitSha', 'dry-run');
          ctx.output('branch', branch);
          if (target.type !== 'local') ctx.output('remoteUrl', target.url);
          return;
        }

        // A retried task finds every side effect in its checkpoints: count
        // what really ran, to say so instead of publishing in silence.
        let checkpoints = 0;
        let ran = 0;
        const checkpoint: CheckpointFn = <T extends JsonObject>(
          key: string,
          fn: () => Promise<T>,
        ) => {
          checkpoints += 1;
          return ctx.checkpoint<T>({
            key,
            fn: () => {
              ran += 1;
              return fn();
            },
          });
        };

        const result = await publishPreparedChange(deps, prepared, {
          logger,
          checkpoint,
        });
        if (checkpoints > 0 && ran === 0) {
          logger.info(
            `Already published by an earlier run of this task: commit ${
              result.commitSha
            } on branch ${result.branch}${
              result.pullRequestUrl
                ? `, pull request ${result.pullRequestUrl}`
                : ''
            }; nothing was written again.`,
          );
        }
        ctx.output('repositoryType', result.repositoryType);
        ctx.output('commitSha', result.commitSha);
        ctx.output('branch', result.branch);
        if (result.webUrl) ctx.output('remoteUrl', result.webUrl);
        if (result.pullRequestUrl !== undefined) {
          ctx.output('pullRequestUrl', result.pullRequestUrl);
        }
        if (result.pullRequestNumber !== undefined) {
          ctx.output('pullRequestNumber', result.pullRequestNumber);
        }
      });
    },
  });
}
