import { ConflictError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { PublishRequest, hasChangeTrailer } from '../types';
import { lostRaceError } from '../guard';
import {
  describeGithubError,
  isAlreadyExists,
  messageOf,
  statusOf,
} from './githubErrors';
import { GithubRepository, GitOpsOctokitClient } from './octokit';

/** The commit a change was written as, not yet on any branch. */
export type ChangeCommit = {
  baseBranch: string;
  baseSha: string;
  treeSha: string;
  commitSha: string;
};

/** What became of the change branch. */
export type BranchPlacement = {
  commitSha: string;
  /**
   * `created`; `updated` (the branch held a change that is merged already
   * and was fast-forwarded to this one); `unchanged` (it already held
   * exactly this change).
   */
  branchState: 'created' | 'updated' | 'unchanged';
};

/** A merged or closed pull request whose head the branch still is. */
type StalePull = { number: number; merged: boolean };

type BranchHead = {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
};

/** Whether a branch head is one commit made by this module for `branch`. */
function isOurs(head: BranchHead, branch: string): boolean {
  return head.parents.length === 1 && hasChangeTrailer(head.message, branch);
}

/** The tree entries that write a change's files and delete its deletions. */
export function changeTreeEntries(request: PublishRequest) {
  return [
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
  ];
}

/**
 * Puts a change's commit on its change branch without ever overwriting what
 * is there. Every write is one GitHub checks atomically against the branch
 * as it is at that moment, so two publishers racing for one branch cannot
 * both win:
 * - `POST /git/refs` creates the branch, and answers 422 when it exists;
 * - `PATCH /git/refs/...` with `force: false` moves an existing branch only
 *   as a fast-forward, i.e. only when everything it holds is already in the
 *   commit's history (its earlier change was merged); GitHub answers 422
 *   "Update is not a fast forward" otherwise, whoever moved it last.
 * A branch that already holds exactly this change (a retried or repeated
 * task) is left as it is and counts as success; anything else on it is
 * reported in a sentence, and nothing is changed.
 */
export class GithubChangeBranch {
  constructor(
    private readonly octokit: GitOpsOctokitClient,
    private readonly repository: GithubRepository,
    private readonly logger: LoggerService,
  ) {}

  private get where() {
    return { owner: this.repository.owner, repo: this.repository.repo };
  }

  private get repositoryName() {
    return `${this.repository.owner}/${this.repository.repo}`;
  }

  /** Places `commit` on the request's branch (see the class). */
  async place(
    request: PublishRequest,
    commit: ChangeCommit,
  ): Promise<BranchPlacement> {
    const { branch } = request;
    if (await this.create(branch, commit.commitSha)) {
      this.logger.info(`Created branch ${branch}`);
      return { commitSha: commit.commitSha, branchState: 'created' };
    }
    const found = await this.head(branch);
    if (found && (await this.holdsExactly(request, found, commit))) {
      return this.unchanged(branch, found);
    }
    if (found && (await this.fastForward(branch, commit.commitSha))) {
      this.logger.info(
        `Branch ${branch} held a change that is already in ${commit.baseBranch}; it now holds this change at ${commit.commitSha}`,
      );
      return { commitSha: commit.commitSha, branchState: 'updated' };
    }
    // Not a fast-forward: the branch holds something the base does not,
    // maybe written by a publisher racing this one. What is on it now?
    const head = found && (await this.head(branch));
    if (!head) {
      // deleted meanwhile: create it once more (atomic again)
      return this.createOrRefuse(request, commit);
    }
    if (
      head.sha !== found!.sha &&
      (await this.holdsExactly(request, head, commit))
    ) {
      return this.unchanged(branch, head);
    }
    const stale = await this.stalePull(branch, head.sha);
    if (stale) {
      return this.replaceStale(request, commit, head.sha, stale);
    }
    return this.refuse(request, commit, head);
  }

  /**
   * The branch's pull request (the last one whose head is this branch)
   * when it is merged or closed and the branch still stands exactly at its
   * head: the branch then holds nothing that was not in that pull request,
   * whose fate is decided, and may be replaced. Undefined otherwise (an
   * open pull request, none, or commits pushed since).
   */
  async stalePull(
    branch: string,
    headSha: string,
  ): Promise<StalePull | undefined> {
    const { data } = await this.call(
      `looking up the pull requests of branch ${branch}`,
      () =>
        this.octokit.rest.pulls.list({
          ...this.where,
          head: `${this.repository.owner}:${branch}`,
          state: 'all',
          sort: 'created',
          direction: 'desc',
          per_page: 1,
        }),
    );
    const last = data[0];
    if (!last || last.state === 'open' || last.head.sha !== headSha) {
      return undefined;
    }
    return { number: last.number, merged: !!last.merged_at };
  }

  /**
   * Removes a stale branch and creates it again at `commit`. GitHub has no
   * conditional delete, so the delete is checked only by the reads just
   * before it; the creation is atomic again: a run that recreated the
   * branch in between makes it answer 422, and this change is refused.
   */
  private async replaceStale(
    request: PublishRequest,
    commit: ChangeCommit,
    staleSha: string,
    pull: StalePull,
  ): Promise<BranchPlacement> {
    const { branch } = request;
    this.logger.info(
      `Branch ${branch} is left from pull request #${pull.number} (${
        pull.merged ? 'merged' : 'closed without merging'
      }) at ${staleSha}; it is replaced by a new branch for this change`,
    );
    await this.call(`deleting the stale branch ${branch}`, async () => {
      try {
        await this.octokit.rest.git.deleteRef({
          ...this.where,
          ref: `heads/${branch}`,
        });
      } catch (e) {
        // 422: gone already (deleted meanwhile). Whatever else it meant,
        // the atomic creation below decides, never overwriting anything.
        if (statusOf(e) !== 422) throw e;
      }
    });
    return this.createOrRefuse(request, commit);
  }

  /** Creates the branch at `commit`, or says who holds it now. */
  private async createOrRefuse(
    request: PublishRequest,
    commit: ChangeCommit,
  ): Promise<BranchPlacement> {
    const { branch } = request;
    if (await this.create(branch, commit.commitSha)) {
      this.logger.info(`Created branch ${branch}`);
      return { commitSha: commit.commitSha, branchState: 'created' };
    }
    const head = await this.head(branch);
    if (!head) throw this.changedWhilePublishing(branch);
    if (await this.holdsExactly(request, head, commit)) {
      return this.unchanged(branch, head);
    }
    return this.refuse(request, commit, head);
  }

  /** The sentence for a branch that holds something else. */
  private refuse(
    request: PublishRequest,
    commit: ChangeCommit,
    head: BranchHead,
  ): never {
    const { branch } = request;
    if (!isOurs(head, branch)) {
      throw new ConflictError(
        `Branch ${branch} in ${this.repositoryName} already exists and holds commits that this action did not make (head ${head.sha}). ` +
          'Merge or close its pull request and delete the branch, or choose another environment name; it is never overwritten.',
      );
    }
    if (request.guard) {
      throw lostRaceError({
        environment: request.environment,
        guard: request.guard,
        by: { commit: head.sha, branch },
      });
    }
    throw new ConflictError(
      `Branch ${branch} in ${this.repositoryName} holds another change for '${
        request.environment
      }' (commit ${head.sha.slice(0, 7)}) that is not in ${
        commit.baseBranch
      } yet; it is never overwritten, and nothing was changed. ` +
        'Merge or close its pull request and delete the branch, then run the template again.',
    );
  }

  private async call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw describeGithubError(e, doing, this.repository);
    }
  }

  private unchanged(branch: string, head: BranchHead): BranchPlacement {
    this.logger.info(
      `Branch ${branch} already holds exactly this change at ${head.sha}; left unchanged`,
    );
    return { commitSha: head.sha, branchState: 'unchanged' };
  }

  /** Head commit of a branch, or undefined when it does not exist. */
  async head(branch: string): Promise<BranchHead | undefined> {
    try {
      const { data } = await this.octokit.rest.repos.getBranch({
        ...this.where,
        branch,
      });
      return {
        sha: data.commit.sha,
        tree: data.commit.commit.tree.sha,
        parents: data.commit.parents.map(p => p.sha),
        message: data.commit.commit.message ?? '',
      };
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw describeGithubError(e, `reading branch ${branch}`, this.repository);
    }
  }

  /** Creates the branch at `sha`; false when it exists already. */
  private async create(branch: string, sha: string): Promise<boolean> {
    try {
      await this.octokit.rest.git.createRef({
        ...this.where,
        ref: `refs/heads/${branch}`,
        sha,
      });
      return true;
    } catch (e) {
      if (isAlreadyExists(e)) return false;
      throw describeGithubError(
        e,
        `creating branch ${branch}`,
        this.repository,
      );
    }
  }

  /** Moves the branch to `sha` if that is a fast-forward; false if not. */
  private async fastForward(branch: string, sha: string): Promise<boolean> {
    try {
      await this.octokit.rest.git.updateRef({
        ...this.where,
        ref: `heads/${branch}`,
        sha,
        force: false,
      });
      return true;
    } catch (e) {
      if (statusOf(e) === 422 && /fast.forward/i.test(messageOf(e))) {
        return false;
      }
      // deleted since it answered "already exists"
      if (statusOf(e) === 422 && /does not exist/i.test(messageOf(e))) {
        return false;
      }
      throw describeGithubError(
        e,
        `updating branch ${branch}`,
        this.repository,
      );
    }
  }

  /**
   * Whether `head` is exactly this change: our commit itself, or one commit
   * of ours with the same tree as ours, or (when the base moved since) the
   * tree this change gives on the head's own parent.
   */
  private async holdsExactly(
    request: PublishRequest,
    head: BranchHead,
    commit: ChangeCommit,
  ): Promise<boolean> {
    if (head.sha === commit.commitSha) return true;
    if (!isOurs(head, request.branch)) return false;
    if (head.tree === commit.treeSha) return true;
    if (head.parents[0] === commit.baseSha) return false;
    const doing = `reading the change on branch ${request.branch}`;
    try {
      const parent = await this.octokit.rest.git.getCommit({
        ...this.where,
        commit_sha: head.parents[0],
      });
      const tree = await this.octokit.rest.git.createTree({
        ...this.where,
        base_tree: parent.data.tree.sha,
        tree: changeTreeEntries(request),
      });
      return tree.data.sha === head.tree;
    } catch (e) {
      throw describeGithubError(e, doing, this.repository);
    }
  }

  private changedWhilePublishing(branch: string): ConflictError {
    return new ConflictError(
      `Branch ${branch} in ${this.repositoryName} changed while this change was being published; it was not overwritten, and nothing was changed. Run the template again to start from the current state.`,
    );
  }
}
