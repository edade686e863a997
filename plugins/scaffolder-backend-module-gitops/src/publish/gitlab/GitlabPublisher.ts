import { ConflictError, InputError } from '@backstage/errors';
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
  gitBlobId,
  isGuarded,
  isEmptyChange,
  isSameChange,
  lostRaceError,
} from '../guard';
import { GitlabClient } from './gitlabClient';
import { describeGitlabError, detailOf, statusOf } from './gitlabErrors';
import type {
  GitlabBranch,
  GitlabCommit,
  GitlabCommitAction,
  GitlabCompare,
  GitlabCreateCommit,
  GitlabMergeRequest,
  GitlabProject,
  GitlabUser,
} from './gitlabTypes';

/** A GitLab project: its host and full path (`group/subgroup/project`). @public */
export type GitlabProjectLocation = { host: string; projectPath: string };

/** What a GitLab publish produced. @public */
export type GitlabPublishResult = {
  mergeRequestUrl: string;
  mergeRequestIid: number;
  branch: string;
  baseBranch: string;
  commitSha: string;
  /**
   * `created` (also when it replaced a branch left from a merged or closed
   * merge request) or `unchanged` (it held exactly this change); `updated`
   * is no longer reported: an existing branch is never moved.
   */
  branchState: 'created' | 'updated' | 'unchanged';
  mergeRequestState: 'created' | 'updated';
};

const DRAFT_PREFIX = 'Draft: ';

/**
 * Publishes a change to GitLab as exactly one commit on one branch (the
 * Commits API with one action per file and `start_sha`, which creates the
 * branch and is refused when it exists) and one merge request. An existing
 * branch is never moved: a re-run finds its own branch and merge request,
 * a branch left from a merged or closed merge request is deleted and
 * created again, anything else on it is reported in a sentence.
 * @public
 */
export class GitlabPublisher {
  private readonly project: string;

  constructor(
    private readonly client: GitlabClient,
    private readonly location: GitlabProjectLocation,
    private readonly logger: LoggerService,
  ) {
    this.project = GitlabClient.projectPath(location.projectPath);
  }

  private async call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw describeGitlabError(e, doing, {
        host: this.location.host,
        project: this.location.projectPath,
      });
    }
  }

  /** Publishes the change; each side effect runs inside `checkpoint`. */
  async publish(
    request: PublishRequest,
    mr: PullRequestOptions,
    checkpoint: CheckpointFn = runWithoutCheckpoint,
  ): Promise<GitlabPublishResult> {
    if (isEmptyChange(request)) {
      throw new InputError('There are no files to publish or delete');
    }
    const { branch } = request;
    const key = (step: string) => `gitops-gitlab-${step}-${branch}`;
    const commit = await checkpoint(key('commit'), () =>
      this.commitChange(request),
    );
    const merge = await checkpoint(key('merge-request'), () =>
      this.upsertMergeRequest(branch, commit.baseBranch, mr),
    );
    return {
      mergeRequestUrl: merge.url,
      mergeRequestIid: merge.iid,
      branch,
      baseBranch: commit.baseBranch,
      commitSha: commit.commitSha,
      branchState: commit.branchState,
      mergeRequestState: merge.state,
    };
  }

  private async commitChange(request: PublishRequest): Promise<{
    baseBranch: string;
    baseSha: string;
    commitSha: string;
    branchState: 'created' | 'updated' | 'unchanged';
  }> {
    const { branch } = request;
    const baseBranch =
      request.baseBranch ??
      (
        await this.call('reading the project', () =>
          this.client.get<GitlabProject>(this.project),
        )
      ).default_branch ??
      'main';
    if (baseBranch === branch) {
      throw new InputError(
        `The change branch ${branch} must differ from the base branch`,
      );
    }
    const base = await this.branch(baseBranch);
    if (!base) {
      throw describeGitlabError(
        { status: 404, detail: `branch ${baseBranch} not found` },
        `reading branch ${baseBranch}`,
        { host: this.location.host, project: this.location.projectPath },
      );
    }
    const baseSha = base.commit.id;
    const actions = await this.actionsAgainst(request, baseSha);
    if (actions.length === 0) {
      throw new InputError(
        `Branch ${baseBranch} of ${this.location.projectPath} already contains exactly these files; there is nothing to publish`,
      );
    }
    // right before the commit: nothing we were computed from has changed
    // on the base branch nor on a pending change branch
    if (request.guard) await this.assertUnchangedSince(request, baseSha);
    const pending = await this.branch(branch);
    if (pending) {
      const head = pending.commit;
      const stale = await this.staleMergeRequest(branch, head.id);
      if (!stale) {
        return {
          baseBranch,
          baseSha,
          commitSha: await this.samePendingChange(request, head, baseBranch),
          branchState: 'unchanged',
        };
      }
      await this.deleteStaleBranch(branch, head.id, stale);
    }
    let created: GitlabCommit;
    try {
      created = await this.createCommit(request, baseSha, actions);
    } catch (e) {
      // the branch appeared since we looked (a concurrent or retried run)
      const appeared =
        statusOf(e) === 400 && /already exists/i.test(detailOf(e))
          ? await this.branch(branch)
          : undefined;
      if (!appeared) {
        throw describeGitlabError(e, 'creating the commit', {
          host: this.location.host,
          project: this.location.projectPath,
        });
      }
      this.assertOurs(branch, appeared.commit);
      if (
        (await this.compareWithChange(request, appeared.commit.id, branch)) !==
        'same-change'
      ) {
        throw new ConflictError(
          `Branch ${branch} in ${this.location.projectPath} was created meanwhile by another run with a different change (head ${appeared.commit.id}); nothing was written. Run the template again.`,
        );
      }
      this.logger.info(
        `Branch ${branch} appeared meanwhile with exactly this change at ${appeared.commit.id}; left unchanged`,
      );
      return {
        baseBranch,
        baseSha,
        commitSha: appeared.commit.id,
        branchState: 'unchanged',
      };
    }
    this.logger.info(`Created branch ${branch} with commit ${created.id}`);
    return {
      baseBranch,
      baseSha,
      commitSha: created.id,
      branchState: 'created',
    };
  }

  /**
   * The id of a pending change branch's head when it holds exactly this
   * change (a retried or repeated task); otherwise the sentence saying
   * what holds the branch. It is never overwritten.
   */
  private async samePendingChange(
    request: PublishRequest,
    head: GitlabCommit,
    baseBranch: string,
  ): Promise<string> {
    const { branch } = request;
    this.assertOurs(branch, head);
    if (
      (await this.compareWithChange(request, head.id, branch)) === 'same-change'
    ) {
      this.logger.info(
        `Branch ${branch} already holds this change at ${head.id}; left unchanged`,
      );
      return head.id;
    }
    throw new ConflictError(
      `Branch ${branch} in ${
        this.location.projectPath
      } holds another change for '${
        request.environment
      }' (commit ${head.id.slice(
        0,
        7,
      )}) that is not in ${baseBranch} yet; it is never overwritten, and nothing was changed. ` +
        'Merge or close its merge request and delete the branch, then run the template again.',
    );
  }

  /**
   * The branch's last merge request when it is merged or closed and the
   * branch still stands exactly at its head: the branch holds nothing that
   * was not in that merge request, whose fate is decided, so it may be
   * replaced. Undefined otherwise (an open merge request, none, or commits
   * pushed since).
   */
  private async staleMergeRequest(
    branch: string,
    headSha: string,
  ): Promise<GitlabMergeRequest | undefined> {
    const [last] = await this.call(
      `looking up the merge requests of branch ${branch}`,
      () =>
        this.client.get<GitlabMergeRequest[]>(
          `${
            this.project
          }/merge_requests?state=all&source_branch=${encodeURIComponent(
            branch,
          )}&order_by=created_at&sort=desc&per_page=1`,
        ),
    );
    if (!last || (last.state !== 'merged' && last.state !== 'closed')) {
      return undefined;
    }
    return last.sha === headSha ? last : undefined;
  }

  /**
   * Deletes a stale branch so that the commit creates it again. GitLab
   * has no conditional delete, so the delete is checked only by the reads
   * just before it; the creation that follows is atomic again (refused
   * when the branch exists), so a run that recreated the branch in between
   * wins and this change is refused.
   */
  private async deleteStaleBranch(
    branch: string,
    headSha: string,
    stale: GitlabMergeRequest,
  ): Promise<void> {
    this.logger.info(
      `Branch ${branch} is left from merge request !${stale.iid} (${stale.state}) at ${headSha}; it is replaced by a new branch for this change`,
    );
    try {
      await this.client.request<void>(
        'DELETE',
        `${this.project}/repository/branches/${encodeURIComponent(branch)}`,
      );
    } catch (e) {
      // deleted meanwhile: nothing left to remove
      if (statusOf(e) === 404) return;
      throw describeGitlabError(e, `deleting the stale branch ${branch}`, {
        host: this.location.host,
        project: this.location.projectPath,
      });
    }
  }

  /** A branch whose head is not our single commit is reported. */
  private assertOurs(branch: string, head: GitlabCommit) {
    if (
      head.parent_ids.length !== 1 ||
      !hasChangeTrailer(head.message ?? '', branch)
    ) {
      throw new ConflictError(
        `Branch ${branch} in ${this.location.projectPath} already exists and holds commits that this action did not make (head ${head.id}). ` +
          'Merge or close its merge request and delete the branch, or choose another environment name; it is never overwritten.',
      );
    }
  }

  /**
   * Creates the branch with the change's one commit on `baseSha`. GitLab
   * refuses it (400 "A branch called ... already exists") when the branch
   * exists; no `force`, so nothing on a branch is ever replaced.
   */
  private createCommit(
    request: PublishRequest,
    baseSha: string,
    actions: GitlabCommitAction[],
  ): Promise<GitlabCommit> {
    const author = request.author ?? request.committer;
    const body: GitlabCreateCommit = {
      branch: request.branch,
      start_sha: baseSha,
      commit_message: commitMessageWithTrailer(
        request.commitMessage,
        request.branch,
        request.provenance,
      ),
      actions,
      ...(author
        ? { author_name: author.name, author_email: author.email }
        : {}),
    };
    return this.client.post<GitlabCommit>(
      `${this.project}/repository/commits`,
      body,
    );
  }

  /** One create/update action per file that differs from the base commit. */
  private async actionsAgainst(
    request: PublishRequest,
    baseSha: string,
  ): Promise<GitlabCommitAction[]> {
    const actions: GitlabCommitAction[] = [];
    for (const file of request.files) {
      const blob = await this.blobId(file.path, baseSha);
      if (blob === gitBlobId(file.content)) continue;
      actions.push({
        action: blob === undefined ? 'create' : 'update',
        file_path: file.path,
        content: file.content,
        encoding: 'text',
      });
    }
    for (const path of request.deletions ?? []) {
      if ((await this.blobId(path, baseSha)) === undefined) continue;
      actions.push({ action: 'delete', file_path: path });
    }
    return actions;
  }

  /** The blob id of a file at a commit, undefined when it does not exist. */
  private async blobId(
    filePath: string,
    ref: string,
  ): Promise<string | undefined> {
    try {
      const { headers } = await this.client.request<void>(
        'HEAD',
        `${this.project}/repository/files/${encodeURIComponent(
          filePath,
        )}?ref=${encodeURIComponent(ref)}`,
      );
      return headers.get('x-gitlab-blob-id') ?? undefined;
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw describeGitlabError(e, `reading ${filePath}`, {
        host: this.location.host,
        project: this.location.projectPath,
      });
    }
  }

  /** A branch, or undefined when it does not exist. */
  private async branch(name: string): Promise<GitlabBranch | undefined> {
    try {
      return await this.client.get<GitlabBranch>(
        `${this.project}/repository/branches/${encodeURIComponent(name)}`,
      );
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw describeGitlabError(e, `reading branch ${name}`, {
        host: this.location.host,
        project: this.location.projectPath,
      });
    }
  }

  /**
   * The guarded files that differ between `from` and `to` with their blob
   * ids at `to`, via the compare API; undefined when GitLab cannot tell
   * (the base is gone, or the comparison timed out).
   */
  private async guardedChanges(
    from: string,
    to: string,
    paths: string[],
  ): Promise<GuardedChange[] | undefined> {
    let compare: GitlabCompare;
    try {
      compare = await this.client.get<GitlabCompare>(
        `${this.project}/repository/compare?from=${encodeURIComponent(
          from,
        )}&to=${encodeURIComponent(to)}&straight=true`,
      );
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw describeGitlabError(e, 'comparing commits', {
        host: this.location.host,
        project: this.location.projectPath,
      });
    }
    if (compare.compare_timeout) return undefined;
    const touched = compare.diffs.filter(
      d => isGuarded(d.new_path, paths) || isGuarded(d.old_path, paths),
    );
    const changes: GuardedChange[] = [];
    for (const d of touched) {
      if (d.renamed_file && isGuarded(d.old_path, paths)) {
        changes.push({ path: d.old_path });
      }
      if (isGuarded(d.new_path, paths)) {
        changes.push({
          path: d.new_path,
          sha: d.deleted_file ? undefined : await this.blobId(d.new_path, to),
        });
      }
    }
    return changes;
  }

  /**
   * Throws the "changed meanwhile" ConflictError when a guarded path
   * differs between the commit the change was computed from and `headSha`
   * (unless it is exactly this change: `same-change`).
   */
  private async assertUnchangedSince(
    request: PublishRequest,
    headSha: string,
    branch?: string,
  ): Promise<'unchanged' | 'same-change'> {
    const guard = request.guard;
    if (!guard?.baseCommit || guard.baseCommit === headSha) return 'unchanged';
    const changes = await this.guardedChanges(
      guard.baseCommit,
      headSha,
      guard.paths,
    );
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

  /**
   * Whether our pending branch head holds exactly this change on top of its
   * parent: with a guard through the "changed meanwhile" check, else by
   * comparing every file of the change.
   */
  private async compareWithChange(
    request: PublishRequest,
    headSha: string,
    branch: string,
  ): Promise<'same-change' | 'different'> {
    if (request.guard?.baseCommit) {
      return (await this.assertUnchangedSince(request, headSha, branch)) ===
        'same-change'
        ? 'same-change'
        : 'different';
    }
    for (const file of request.files) {
      if ((await this.blobId(file.path, headSha)) !== gitBlobId(file.content)) {
        return 'different';
      }
    }
    for (const path of request.deletions ?? []) {
      if ((await this.blobId(path, headSha)) !== undefined) return 'different';
    }
    return 'same-change';
  }

  private async findOpenMergeRequest(
    branch: string,
    baseBranch: string,
  ): Promise<GitlabMergeRequest | undefined> {
    const found = await this.call('looking up the merge request', () =>
      this.client.get<GitlabMergeRequest[]>(
        `${
          this.project
        }/merge_requests?state=opened&source_branch=${encodeURIComponent(
          branch,
        )}&target_branch=${encodeURIComponent(baseBranch)}`,
      ),
    );
    return found[0];
  }

  private async reviewerIds(usernames: string[]): Promise<number[]> {
    const ids: number[] = [];
    for (const username of usernames) {
      const users = await this.call(`looking up reviewer ${username}`, () =>
        this.client.get<GitlabUser[]>(
          `/users?username=${encodeURIComponent(username)}`,
        ),
      );
      if (users[0]) ids.push(users[0].id);
      else
        this.logger.warn(`GitLab has no user ${username}; not asked to review`);
    }
    return ids;
  }

  private async upsertMergeRequest(
    branch: string,
    baseBranch: string,
    mr: PullRequestOptions,
  ): Promise<{ iid: number; url: string; state: 'created' | 'updated' }> {
    const title = mr.draft ? `${DRAFT_PREFIX}${mr.title}` : mr.title;
    let existing = await this.findOpenMergeRequest(branch, baseBranch);
    if (!existing) {
      if (mr.teamReviewers.length > 0) {
        this.logger.warn(
          `GitLab merge requests have no team reviewers; ${mr.teamReviewers.join(
            ', ',
          )} not asked`,
        );
      }
      const reviewer_ids = await this.reviewerIds(mr.reviewers);
      try {
        const created = await this.client.post<GitlabMergeRequest>(
          `${this.project}/merge_requests`,
          {
            source_branch: branch,
            target_branch: baseBranch,
            title,
            description: mr.body,
            labels: mr.labels.join(','),
            remove_source_branch: true,
            ...(reviewer_ids.length > 0 ? { reviewer_ids } : {}),
          },
        );
        this.logger.info(`Opened merge request ${created.web_url}`);
        return { iid: created.iid, url: created.web_url, state: 'created' };
      } catch (e) {
        // another run opened it meanwhile
        if (!(statusOf(e) === 409 && /already exists/i.test(detailOf(e)))) {
          throw describeGitlabError(e, 'opening the merge request', {
            host: this.location.host,
            project: this.location.projectPath,
          });
        }
        existing = await this.findOpenMergeRequest(branch, baseBranch);
        if (!existing) {
          throw describeGitlabError(e, 'opening the merge request', {
            host: this.location.host,
            project: this.location.projectPath,
          });
        }
      }
    }
    const missing = mr.labels.filter(l => !existing!.labels.includes(l));
    if (
      existing.title !== title ||
      (existing.description ?? '') !== mr.body ||
      missing.length > 0
    ) {
      const iid = existing.iid;
      await this.call('updating the merge request', () =>
        this.client.put<GitlabMergeRequest>(
          `${this.project}/merge_requests/${iid}`,
          {
            title,
            description: mr.body,
            ...(missing.length > 0 ? { add_labels: missing.join(',') } : {}),
          },
        ),
      );
    }
    this.logger.info(`Updated merge request ${existing.web_url}`);
    return { iid: existing.iid, url: existing.web_url, state: 'updated' };
  }
}
