import { InputError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  CheckpointFn,
  PublishRequest,
  PullRequestOptions,
  commitMessageWithTrailer,
  runWithoutCheckpoint,
} from '../types';
import {
  GuardedChange,
  isGuarded,
  isEmptyChange,
  isSameChange,
  lostRaceError,
} from '../guard';
import { GithubRepository, GitOpsOctokitClient } from './octokit';
import {
  describeGithubError,
  errorBodyOf,
  isAlreadyExists,
  statusOf,
} from './githubErrors';
import {
  ChangeCommit,
  GithubChangeBranch,
  changeTreeEntries,
} from './changeBranch';

/** What a GitHub publish produced. @public */
export type GithubPublishResult = {
  pullRequestUrl: string;
  pullRequestNumber: number;
  branch: string;
  baseBranch: string;
  commitSha: string;
  /**
   * `created`; `updated` (the branch held a change merged already and was
   * fast-forwarded); `unchanged` (it held exactly this change).
   */
  branchState: 'created' | 'updated' | 'unchanged';
  pullRequestState: 'created' | 'updated';
};

/**
 * Publishes a change to GitHub as exactly one commit on one branch and one
 * pull request, using the Git Data API with inline blob content so the number
 * of requests does not grow with the number of files.
 *
 * Requests for a new change: branch (base) → tree → commit → ref → pull →
 * labels (+ reviewers when asked) = 6.
 * @public
 */
export class GithubPublisher {
  private readonly branches: GithubChangeBranch;

  constructor(
    private readonly octokit: GitOpsOctokitClient,
    private readonly repository: GithubRepository,
    private readonly logger: LoggerService,
  ) {
    this.branches = new GithubChangeBranch(octokit, repository, logger);
  }

  private get where() {
    return { owner: this.repository.owner, repo: this.repository.repo };
  }

  private describe(e: unknown, doing: string): Error {
    return describeGithubError(e, doing, this.repository);
  }

  private async call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw this.describe(e, doing);
    }
  }

  /** Publishes the change; each side effect runs inside `checkpoint`. */
  async publish(
    request: PublishRequest,
    pr: PullRequestOptions,
    checkpoint: CheckpointFn = runWithoutCheckpoint,
  ): Promise<GithubPublishResult> {
    if (isEmptyChange(request)) {
      throw new InputError('There are no files to publish or delete');
    }
    const { branch } = request;
    const key = (step: string) => `gitops-github-${step}-${branch}`;

    const commit = await checkpoint(
      key('commit'),
      async (): Promise<ChangeCommit> => {
        const baseBranch =
          request.baseBranch ??
          (
            await this.call('reading the repository', () =>
              this.octokit.rest.repos.get(this.where),
            )
          ).data.default_branch;
        if (baseBranch === branch) {
          throw new InputError(
            `The change branch ${branch} must differ from the base branch`,
          );
        }
        const base = await this.call(`reading branch ${baseBranch}`, () =>
          this.octokit.rest.repos.getBranch({
            ...this.where,
            branch: baseBranch,
          }),
        );
        const baseSha = base.data.commit.sha;
        const baseTree = base.data.commit.commit.tree.sha;
        const tree = await this.call('creating the tree', () =>
          this.octokit.rest.git.createTree({
            ...this.where,
            base_tree: baseTree,
            tree: changeTreeEntries(request),
          }),
        );
        if (tree.data.sha === baseTree) {
          throw new InputError(
            `Branch ${baseBranch} of ${this.where.owner}/${this.where.repo} already contains exactly these files; there is nothing to publish`,
          );
        }
        // right before the commit: nothing we were computed from has changed
        // on the base branch nor on a pending change branch (a branch left
        // from a merged or closed pull request is no pending change)
        if (request.guard) {
          await this.assertUnchangedSince(request, baseSha);
          const pending = await this.branches.head(branch);
          if (
            pending &&
            pending.tree !== tree.data.sha &&
            !(await this.branches.stalePull(branch, pending.sha)) &&
            (await this.assertUnchangedSince(request, pending.sha, branch)) ===
              'same-change'
          ) {
            // a retried task: exactly this change is already on the branch
            return {
              baseBranch,
              baseSha,
              treeSha: pending.tree,
              commitSha: pending.sha,
            };
          }
        }
        const created = await this.call('creating the commit', () =>
          this.octokit.rest.git.createCommit({
            ...this.where,
            message: commitMessageWithTrailer(
              request.commitMessage,
              branch,
              request.provenance,
            ),
            tree: tree.data.sha,
            parents: [baseSha],
            ...(request.author ?? request.committer
              ? { author: request.author ?? request.committer }
              : {}),
            ...(request.committer ? { committer: request.committer } : {}),
          }),
        );
        return {
          baseBranch,
          baseSha,
          treeSha: tree.data.sha,
          commitSha: created.data.sha,
        };
      },
    );

    const ref = await checkpoint(key('ref'), () =>
      this.branches.place(request, commit),
    );

    const pull = await checkpoint(key('pull'), () =>
      this.upsertPullRequest(
        branch,
        commit.baseBranch,
        pr,
        ref.branchState === 'created',
      ),
    );

    if (pr.labels.length > 0) {
      const missing = pr.labels.filter(l => !pull.labels.includes(l));
      if (missing.length > 0) {
        await checkpoint(key('labels'), async () => {
          await this.call('labelling the pull request', () =>
            this.octokit.rest.issues.addLabels({
              ...this.where,
              issue_number: pull.number,
              labels: missing,
            }),
          );
          return { labels: missing };
        });
      }
    }
    if (
      pull.state === 'created' &&
      (pr.reviewers.length > 0 || pr.teamReviewers.length > 0)
    ) {
      await checkpoint(key('reviewers'), async () => {
        await this.call('requesting reviewers', () =>
          this.octokit.rest.pulls.requestReviewers({
            ...this.where,
            pull_number: pull.number,
            reviewers: pr.reviewers,
            team_reviewers: pr.teamReviewers,
          }),
        );
        return { reviewers: [...pr.reviewers, ...pr.teamReviewers] };
      });
    }
    return {
      pullRequestUrl: pull.url,
      pullRequestNumber: pull.number,
      branch,
      baseBranch: commit.baseBranch,
      commitSha: ref.commitSha,
      branchState: ref.branchState,
      pullRequestState: pull.state,
    };
  }

  /**
   * Throws the "changed meanwhile" ConflictError when a guarded path differs
   * between the commit the change was computed from and `headSha`, using
   * the compare API (one request). A comparison GitHub cannot give in full
   * (the base is gone, or 300 files or more changed) counts as changed.
   */
  private async assertUnchangedSince(
    request: PublishRequest,
    headSha: string,
    branch?: string,
  ): Promise<'unchanged' | 'same-change'> {
    const guard = request.guard;
    if (!guard?.baseCommit || guard.baseCommit === headSha) return 'unchanged';
    let changes: GuardedChange[] | undefined;
    try {
      const { data } = await this.octokit.rest.repos.compareCommitsWithBasehead(
        { ...this.where, basehead: `${guard.baseCommit}...${headSha}` },
      );
      const files = data.files ?? [];
      changes =
        files.length >= 300
          ? undefined
          : files
              .filter(
                f =>
                  isGuarded(f.filename, guard.paths) ||
                  (f.previous_filename !== undefined &&
                    isGuarded(f.previous_filename, guard.paths)),
              )
              .map(f => ({
                path: f.filename,
                sha: f.status === 'removed' ? undefined : f.sha,
              }));
    } catch (e) {
      if (statusOf(e) !== 404) throw this.describe(e, 'comparing commits');
    }
    if (changes && changes.length === 0) return 'unchanged';
    if (
      changes &&
      isSameChange(changes, request.files, guard.paths, request.deletions)
    ) {
      return 'same-change';
    }
    throw lostRaceError({
      environment: request.environment,
      guard,
      by: { commit: headSha, branch },
    });
  }

  private async findOpenPull(branch: string) {
    const found = await this.call('looking up the pull request', () =>
      this.octokit.rest.pulls.list({
        ...this.where,
        head: `${this.where.owner}:${branch}`,
        state: 'open',
        per_page: 1,
      }),
    );
    return found.data[0];
  }

  private async upsertPullRequest(
    branch: string,
    baseBranch: string,
    pr: PullRequestOptions,
    branchIsNew: boolean,
  ): Promise<{
    number: number;
    url: string;
    labels: string[];
    state: 'created' | 'updated';
  }> {
    let existing = branchIsNew ? undefined : await this.findOpenPull(branch);
    if (!existing) {
      try {
        const created = await this.octokit.rest.pulls.create({
          ...this.where,
          head: branch,
          base: baseBranch,
          title: pr.title,
          body: pr.body,
          draft: pr.draft,
          maintainer_can_modify: true,
        });
        this.logger.info(`Opened pull request ${created.data.html_url}`);
        return {
          number: created.data.number,
          url: created.data.html_url,
          labels: [],
          state: 'created',
        };
      } catch (e) {
        if (!isAlreadyExists(e, errorBodyOf(e))) {
          throw this.describe(e, 'opening the pull request');
        }
        existing = await this.findOpenPull(branch);
        if (!existing) {
          throw this.describe(e, 'opening the pull request');
        }
      }
    }
    const labels = existing.labels.map(l => l.name ?? '').filter(Boolean);
    if (existing.title !== pr.title || (existing.body ?? '') !== pr.body) {
      await this.call('updating the pull request', () =>
        this.octokit.rest.pulls.update({
          ...this.where,
          pull_number: existing!.number,
          title: pr.title,
          body: pr.body,
        }),
      );
    }
    this.logger.info(`Updated pull request ${existing.html_url}`);
    return {
      number: existing.number,
      url: existing.html_url,
      labels,
      state: 'updated',
    };
  }
}
