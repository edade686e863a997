import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  CheckpointFn,
  PublishRequest,
  PullRequestOptions,
  commitMessageWithTrailer,
  hasChangeTrailer,
  runWithoutCheckpoint,
} from '../types';
import {
  GuardedChange,
  isGuarded,
  isEmptyChange,
  isSameChange,
  lostRaceError,
} from '../guard';
import {
  GithubRepository,
  GitOpsOctokitClient,
  integrationName,
} from './octokit';

/** What a GitHub publish produced. @public */
export type GithubPublishResult = {
  pullRequestUrl: string;
  pullRequestNumber: number;
  branch: string;
  baseBranch: string;
  commitSha: string;
  /** `created`, `updated` (our commit replaced or rebased) or `unchanged`. */
  branchState: 'created' | 'updated' | 'unchanged';
  pullRequestState: 'created' | 'updated';
};

type RequestError = Error & {
  status?: number;
  response?: { data?: any; headers?: Record<string, string> };
};

function statusOf(e: unknown): number | undefined {
  return (e as RequestError)?.status;
}

function messageOf(e: unknown): string {
  const err = e as RequestError;
  return err?.response?.data?.message ?? err?.message ?? String(e);
}

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
  constructor(
    private readonly octokit: GitOpsOctokitClient,
    private readonly repository: GithubRepository,
    private readonly logger: LoggerService,
  ) {}

  private get where() {
    return { owner: this.repository.owner, repo: this.repository.repo };
  }

  private describe(e: unknown, doing: string): Error {
    const status = statusOf(e);
    const { owner, repo, host } = this.repository;
    const detail = messageOf(e);
    if (status === 401) {
      return new AuthenticationError(
        `GitHub rejected the credentials of ${integrationName(
          host,
        )} while ${doing} in ${owner}/${repo}: ${detail}. Check the token or GitHub App configured for ${host}.`,
      );
    }
    if (status === 403) {
      return new NotAllowedError(
        `The credentials of ${integrationName(
          host,
        )} may not ${doing} in ${owner}/${repo}: ${detail}`,
      );
    }
    if (status === 404) {
      return new NotFoundError(
        `GitHub answered 404 while ${doing} in ${owner}/${repo} (the repository or branch does not exist, or ${integrationName(
          host,
        )} cannot see it): ${detail}`,
      );
    }
    if (status === 422) {
      return new InputError(
        `GitHub refused ${doing} in ${owner}/${repo}: ${detail}`,
      );
    }
    return new ServiceUnavailableError(
      `GitHub failed while ${doing} in ${owner}/${repo}${
        status ? ` (HTTP ${status})` : ''
      }: ${detail}`,
    );
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

    const commit = await checkpoint(key('commit'), async () => {
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
          tree: [
            ...request.files.map(f => ({
              path: f.path,
              mode: '100644' as const,
              type: 'blob' as const,
              content: f.content,
            })),
            // A null sha removes the file; GitHub drops folders left empty.
            ...(request.deletions ?? []).map(path => ({
              path,
              mode: '100644' as const,
              type: 'blob' as const,
              sha: null,
            })),
          ],
        }),
      );
      if (tree.data.sha === baseTree) {
        throw new InputError(
          `Branch ${baseBranch} of ${this.where.owner}/${this.where.repo} already contains exactly these files; there is nothing to publish`,
        );
      }
      // right before the commit: nothing we were computed from has changed
      // on the base branch nor on a pending change branch we would replace
      if (request.guard) {
        await this.assertUnchangedSince(request, baseSha);
        const pending = await this.branchHead(branch);
        if (
          pending &&
          pending.tree !== tree.data.sha &&
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
    });

    const ref = await checkpoint(key('ref'), () =>
      this.placeBranch(request, commit),
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
   * Creates the branch at our commit, or — when it exists — checks that it
   * holds only our earlier commit and moves it to the new one (a rebase onto
   * the current base). Anything else on the branch is reported, never
   * overwritten.
   */
  private async placeBranch(
    request: PublishRequest,
    commit: { baseSha: string; treeSha: string; commitSha: string },
  ): Promise<{
    commitSha: string;
    branchState: 'created' | 'updated' | 'unchanged';
  }> {
    const { branch } = request;
    try {
      await this.octokit.rest.git.createRef({
        ...this.where,
        ref: `refs/heads/${branch}`,
        sha: commit.commitSha,
      });
      this.logger.info(`Created branch ${branch}`);
      return { commitSha: commit.commitSha, branchState: 'created' };
    } catch (e) {
      if (!(statusOf(e) === 422 && /already exists/i.test(messageOf(e)))) {
        throw this.describe(e, `creating branch ${branch}`);
      }
    }
    const existing = await this.call(`reading branch ${branch}`, () =>
      this.octokit.rest.repos.getBranch({ ...this.where, branch }),
    );
    const head = existing.data.commit;
    const parents = head.parents.map(p => p.sha);
    const ours =
      parents.length === 1 &&
      hasChangeTrailer(head.commit.message ?? '', branch);
    if (!ours) {
      throw new ConflictError(
        `Branch ${branch} in ${this.where.owner}/${this.where.repo} already exists and holds commits that this action did not make (head ${head.sha}). ` +
          'Merge or close its pull request and delete the branch, or choose another environment name; it is never overwritten.',
      );
    }
    if (
      parents[0] === commit.baseSha &&
      head.commit.tree.sha === commit.treeSha
    ) {
      this.logger.info(
        `Branch ${branch} already holds this change at ${head.sha}; left unchanged`,
      );
      return { commitSha: head.sha, branchState: 'unchanged' };
    }
    // the branch may have appeared since the check before our commit
    if (
      head.commit.tree.sha === commit.treeSha ||
      (await this.assertUnchangedSince(request, head.sha, branch)) ===
        'same-change'
    ) {
      this.logger.info(
        `Branch ${branch} already holds exactly this change at ${head.sha}; left unchanged`,
      );
      return { commitSha: head.sha, branchState: 'unchanged' };
    }
    await this.call(`updating branch ${branch}`, () =>
      this.octokit.rest.git.updateRef({
        ...this.where,
        ref: `heads/${branch}`,
        sha: commit.commitSha,
        // Only our own single commit is replaced; checked above.
        force: true,
      }),
    );
    this.logger.info(
      parents[0] === commit.baseSha
        ? `Replaced our earlier commit ${head.sha} on ${branch} with ${commit.commitSha}`
        : `Rebased ${branch} onto the current base ${commit.baseSha} (was based on ${parents[0]})`,
    );
    return { commitSha: commit.commitSha, branchState: 'updated' };
  }

  /** Head commit and tree of a branch, or undefined when it does not exist. */
  private async branchHead(
    branch: string,
  ): Promise<{ sha: string; tree: string } | undefined> {
    try {
      const { data } = await this.octokit.rest.repos.getBranch({
        ...this.where,
        branch,
      });
      return { sha: data.commit.sha, tree: data.commit.commit.tree.sha };
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw this.describe(e, `reading branch ${branch}`);
    }
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
        if (
          !(
            statusOf(e) === 422 &&
            /already exists/i.test(
              JSON.stringify(
                (e as RequestError).response?.data ?? messageOf(e),
              ),
            )
          )
        ) {
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
