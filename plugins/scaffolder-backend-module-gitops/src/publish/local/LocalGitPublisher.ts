import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import lockfile from 'proper-lockfile';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { isEmptyChange, lostRaceError } from '../guard';

/** The object id of git's empty tree. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
import {
  ChangeFile,
  ChangeGuard,
  CheckpointFn,
  PublishRequest,
  commitMessageWithTrailer,
  hasChangeTrailer,
  runWithoutCheckpoint,
} from '../types';

/** Where the change lands in a local repository. @public */
export type LocalPublishMode = 'branch' | 'direct';

/** What a local publish produced. @public */
export type LocalPublishResult = {
  repositoryPath: string;
  commitSha: string;
  branch: string;
  baseBranch: string;
  state: 'created' | 'updated' | 'unchanged';
  /** True when the repository was created from the blueprint by this call. */
  bootstrapped: boolean;
};

/** Options of {@link LocalGitPublisher}. @public */
export type LocalGitPublisherOptions = {
  /** Absolute path of the repository's working tree. */
  path: string;
  logger: LoggerService;
  /** Create the repository (from `blueprint`) when the path does not exist. */
  createIfMissing: boolean;
  /** Branch a new repository starts with. */
  defaultBranch: string;
  /** Files of a new repository; required when `createIfMissing` is set. */
  blueprint?: () => Promise<ChangeFile[]>;
  /** Committer of every commit (`scaffolder.defaultAuthor`); default `Epicshelter Portal`. */
  committer?: { name: string; email: string };
};

const DEFAULT_AUTHOR = {
  name: 'Epicshelter Portal',
  email: 'portal@epicshelter.invalid',
};

type TreeEntry = {
  mode: string;
  path: string;
  oid: string;
  type: 'blob' | 'tree' | 'commit';
};

/**
 * Commits a change to a git repository on this machine with isomorphic-git
 * (no git binary needed). Every publish runs under a lock so concurrent tasks
 * produce one commit each and never lose a file; git's own `index.lock`
 * and uncommitted changes are reported instead of being worked around.
 * @public
 */
export class LocalGitPublisher {
  constructor(private readonly options: LocalGitPublisherOptions) {}

  private get dir() {
    return this.options.path;
  }

  private get committer() {
    return this.options.committer ?? DEFAULT_AUTHOR;
  }

  /** Publishes the change; the commit runs inside `checkpoint`. */
  async publish(
    request: PublishRequest,
    mode: LocalPublishMode,
    checkpoint: CheckpointFn = runWithoutCheckpoint,
  ): Promise<LocalPublishResult> {
    if (isEmptyChange(request)) {
      throw new InputError('There are no files to publish or delete');
    }
    return checkpoint(`gitops-local-commit-${request.branch}-${mode}`, () =>
      this.withLock(async () => {
        const bootstrapped = await this.ensureRepository();
        const result = await this.commit(request, mode);
        return { ...result, bootstrapped };
      }),
    );
  }

  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const parent = path.dirname(this.dir);
    if (!fs.existsSync(parent)) {
      throw new NotFoundError(
        `Cannot use GitOps repository ${this.dir}: its parent directory ${parent} does not exist`,
      );
    }
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(this.dir, {
        realpath: false,
        lockfilePath: `${this.dir}.epicshelter-lock`,
        stale: 60_000,
        retries: { retries: 600, minTimeout: 25, maxTimeout: 250 },
      });
    } catch (e) {
      throw new ConflictError(
        `GitOps repository ${this.dir} is busy: another publish holds ${
          this.dir
        }.epicshelter-lock (${(e as Error).message})`,
      );
    }
    try {
      return await fn();
    } finally {
      await release();
    }
  }

  private async assertRepository(): Promise<void> {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(this.dir);
    } catch {
      throw new NotFoundError(
        `GitOps repository path ${this.dir} does not exist; run the "Bootstrap a GitOps repository" template or set gitops.repository to an existing repository`,
      );
    }
    if (!stat.isDirectory()) {
      throw new InputError(
        `GitOps repository path ${this.dir} is a file, not a directory`,
      );
    }
    if (!fs.existsSync(path.join(this.dir, '.git'))) {
      throw new InputError(
        `GitOps repository path ${this.dir} is not a git repository (no .git); run "git init" there or point gitops.repository at a repository`,
      );
    }
  }

  /** Creates the repository from the blueprint when allowed and missing. */
  private async ensureRepository(): Promise<boolean> {
    if (fs.existsSync(this.dir) || !this.options.createIfMissing) {
      await this.assertRepository();
      return false;
    }
    if (!this.options.blueprint) {
      throw new NotFoundError(
        `GitOps repository path ${this.dir} does not exist and no blueprint is available to create it`,
      );
    }
    const files = await this.options.blueprint();
    this.options.logger.info(
      `Creating GitOps repository ${this.dir} from the blueprint (${files.length} files)`,
    );
    await fs.promises.mkdir(this.dir, { recursive: true });
    await git.init({
      fs,
      dir: this.dir,
      defaultBranch: this.options.defaultBranch,
    });
    for (const file of files) {
      const target = safeJoin(this.dir, file.path);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.writeFile(target, file.content, 'utf8');
      await git.add({ fs, dir: this.dir, filepath: file.path });
    }
    const stamp = signature(this.committer);
    await git.commit({
      fs,
      dir: this.dir,
      message: 'Bootstrap GitOps repository from the Epicshelter blueprint\n',
      author: stamp,
      committer: stamp,
    });
    return true;
  }

  private async currentBranch(): Promise<string> {
    const branch = await git.currentBranch({ fs, dir: this.dir });
    if (!branch) {
      throw new ConflictError(
        `GitOps repository ${this.dir} has a detached HEAD; check out a branch first`,
      );
    }
    return branch;
  }

  private async resolveBranch(branch: string): Promise<string> {
    try {
      return await git.resolveRef({
        fs,
        dir: this.dir,
        ref: `refs/heads/${branch}`,
      });
    } catch {
      throw new NotFoundError(
        `Branch ${branch} does not exist in GitOps repository ${this.dir}`,
      );
    }
  }

  private async assertClean(): Promise<void> {
    const lock = path.join(this.dir, '.git', 'index.lock');
    if (fs.existsSync(lock)) {
      throw new ConflictError(
        `GitOps repository ${this.dir} is locked: ${lock} exists, so another git process is working in it. Retry when it is done, or delete the file if no git process is running.`,
      );
    }
    const matrix = await git.statusMatrix({ fs, dir: this.dir });
    const dirty = matrix
      .filter(
        ([, head, workdir, stage]) =>
          !(head === 1 && workdir === 1 && stage === 1),
      )
      .map(([file]) => file);
    if (dirty.length > 0) {
      throw new ConflictError(
        `GitOps repository ${this.dir} has uncommitted changes (${dirty
          .slice(0, 5)
          .join(', ')}${
          dirty.length > 5 ? `, and ${dirty.length - 5} more` : ''
        }); commit or discard them first`,
      );
    }
  }

  private async commit(
    request: PublishRequest,
    mode: LocalPublishMode,
  ): Promise<Omit<LocalPublishResult, 'bootstrapped'>> {
    await this.assertClean();
    const checkedOut = await this.currentBranch();
    const baseBranch = request.baseBranch ?? checkedOut;
    const baseSha = await this.resolveBranch(baseBranch);
    const baseTree = (await git.readCommit({ fs, dir: this.dir, oid: baseSha }))
      .commit.tree;
    const tree = await this.applyFiles(
      baseTree,
      request.files,
      request.deletions,
    );
    const target = mode === 'direct' ? baseBranch : request.branch;
    const result = { repositoryPath: this.dir, branch: target, baseBranch };

    if (tree === baseTree) {
      if (mode === 'direct') {
        this.options.logger.info(
          `Branch ${baseBranch} already contains these files; no commit made`,
        );
        return { ...result, commitSha: baseSha, state: 'unchanged' };
      }
      throw new InputError(
        `Branch ${baseBranch} of ${this.dir} already contains exactly these files; there is nothing to publish`,
      );
    }

    await this.assertUnchangedSince(request, baseSha);
    let state: 'created' | 'updated' = 'created';
    if (mode === 'branch') {
      if (request.branch === baseBranch) {
        throw new InputError(
          `The change branch ${request.branch} must differ from the base branch; use mode "direct" to commit on ${baseBranch}`,
        );
      }
      const existing = await git
        .resolveRef({ fs, dir: this.dir, ref: `refs/heads/${request.branch}` })
        .catch(() => undefined);
      if (existing) {
        const { commit } = await git.readCommit({
          fs,
          dir: this.dir,
          oid: existing,
        });
        if (
          commit.parent.length !== 1 ||
          !hasChangeTrailer(commit.message, request.branch)
        ) {
          throw new ConflictError(
            `Branch ${request.branch} in ${this.dir} already exists and holds commits that this action did not make (head ${existing}); merge or delete it, or choose another environment name. It is never overwritten.`,
          );
        }
        if (commit.parent[0] === baseSha && commit.tree === tree) {
          return { ...result, commitSha: existing, state: 'unchanged' };
        }
        if (
          request.guard &&
          (await this.applyFiles(
            commit.tree,
            request.files,
            request.deletions,
          )) === commit.tree
        ) {
          // a retried task: exactly this change is already on the branch
          return { ...result, commitSha: existing, state: 'unchanged' };
        }
        // the pending change on the branch would be replaced: only when it
        // does not touch what this change was computed from
        await this.assertUnchangedSince(request, existing, request.branch);
        state = 'updated';
        this.options.logger.info(
          commit.parent[0] === baseSha
            ? `Replacing our earlier commit ${existing} on ${request.branch}`
            : `Rebasing ${request.branch} onto ${baseBranch} at ${baseSha}`,
        );
      }
    }

    const committer = request.committer ?? this.committer;
    const commitSha = await git.writeCommit({
      fs,
      dir: this.dir,
      commit: {
        message: commitMessageWithTrailer(
          request.commitMessage,
          request.branch,
          request.provenance,
        ),
        tree,
        parent: [baseSha],
        author: signature(request.author ?? committer),
        committer: signature(committer),
      },
    });
    await git.writeRef({
      fs,
      dir: this.dir,
      ref: `refs/heads/${target}`,
      value: commitSha,
      force: true,
    });
    if (target === checkedOut) {
      // Bring the (clean) working tree and index up to the new commit.
      await git.checkout({
        fs,
        dir: this.dir,
        ref: target,
        filepaths: request.files.map(f => f.path),
        force: true,
      });
      await this.removeFromWorkingTree(request.deletions ?? []);
    }
    this.options.logger.info(
      `Committed ${request.files.length} file(s)${
        request.deletions?.length
          ? ` and ${request.deletions.length} deletion(s)`
          : ''
      } to ${target} in ${this.dir}: ${commitSha}`,
    );
    return { ...result, commitSha, state };
  }

  /**
   * Throws the "changed meanwhile" ConflictError when a guarded path differs
   * between the commit the change was computed from and `headSha` (the base
   * branch, or the change branch it would replace). Runs inside the lock,
   * so nothing can move between this check and the commit.
   */
  private async assertUnchangedSince(
    request: PublishRequest,
    headSha: string,
    branch?: string,
  ): Promise<void> {
    const guard = request.guard;
    if (!guard || guard.baseCommit === headSha) return;
    const by = await this.lastChangeOf(guard, headSha);
    if (by) {
      throw lostRaceError({
        environment: request.environment,
        guard,
        by: { commit: by, branch },
      });
    }
  }

  /**
   * The newest commit in base..head that changed a guarded path, or
   * undefined when the guarded paths are the same at base and head.
   */
  private async lastChangeOf(
    guard: ChangeGuard,
    headSha: string,
  ): Promise<string | undefined> {
    const base = guard.baseCommit
      ? await this.guardedOids(guard.baseCommit, guard.paths).catch(
          () => undefined,
        )
      : guard.paths.map(() => undefined);
    const head = await this.guardedOids(headSha, guard.paths);
    if (base && base.every((oid, i) => oid === head[i])) return undefined;
    const log = await git.log({ fs, dir: this.dir, ref: headSha, depth: 500 });
    for (const entry of log) {
      if (entry.oid === guard.baseCommit) break;
      const [parent] = entry.commit.parent;
      const mine = await this.guardedOids(entry.oid, guard.paths);
      const before = parent
        ? await this.guardedOids(parent, guard.paths)
        : guard.paths.map(() => undefined);
      if (mine.some((oid, i) => oid !== before[i])) return entry.oid;
    }
    return headSha;
  }

  /** The object id of each path (file or folder) in a commit; undefined where absent. */
  private async guardedOids(
    commitSha: string,
    paths: string[],
  ): Promise<Array<string | undefined>> {
    const { commit } = await git.readCommit({
      fs,
      dir: this.dir,
      oid: commitSha,
    });
    return Promise.all(
      paths.map(async p => {
        let oid: string | undefined = commit.tree;
        for (const segment of p.split('/').filter(Boolean)) {
          if (!oid) return undefined;
          const entries: TreeEntry[] = await git
            .readTree({ fs, dir: this.dir, oid })
            .then(r => r.tree as TreeEntry[])
            .catch(() => []);
          oid = entries.find(e => e.path === segment)?.oid;
        }
        return oid;
      }),
    );
  }

  /** Removes deleted files (and folders left empty) from the checked-out working tree and index. */
  private async removeFromWorkingTree(deletions: string[]): Promise<void> {
    for (const p of deletions) {
      await fs.promises.rm(safeJoin(this.dir, p), { force: true });
      await git.remove({ fs, dir: this.dir, filepath: p });
      for (
        let d = path.posix.dirname(p);
        d !== '.';
        d = path.posix.dirname(d)
      ) {
        const full = safeJoin(this.dir, d);
        const left = await fs.promises.readdir(full).catch(() => undefined);
        if (left === undefined || left.length > 0) break;
        await fs.promises.rmdir(full);
      }
    }
  }

  /**
   * Writes blobs and trees for `files` on top of `baseTree`, without the
   * `deletions` (and folders they leave empty); returns the new root tree.
   */
  private async applyFiles(
    baseTree: string | undefined,
    files: ChangeFile[],
    deletions: string[] = [],
  ): Promise<string> {
    const here = new Map<string, string>();
    const below = new Map<string, ChangeFile[]>();
    const gone = new Set<string>();
    const goneBelow = new Map<string, string[]>();
    for (const file of files) {
      const [head, ...rest] = file.path.split('/');
      if (rest.length === 0) {
        here.set(head, file.content);
      } else {
        const list = below.get(head) ?? [];
        list.push({ path: rest.join('/'), content: file.content });
        below.set(head, list);
      }
    }
    for (const p of deletions) {
      const [head, ...rest] = p.split('/');
      if (rest.length === 0) gone.add(head);
      else
        goneBelow.set(head, [...(goneBelow.get(head) ?? []), rest.join('/')]);
    }
    const entries = new Map<string, TreeEntry>();
    if (baseTree) {
      const { tree } = await git.readTree({ fs, dir: this.dir, oid: baseTree });
      for (const e of tree) entries.set(e.path, e as TreeEntry);
    }
    for (const [name, content] of here) {
      const existing = entries.get(name);
      if (existing?.type === 'tree') {
        throw new InputError(
          `Cannot write file ${name}: the repository has a directory there`,
        );
      }
      const oid = await git.writeBlob({
        fs,
        dir: this.dir,
        blob: Buffer.from(content, 'utf8'),
      });
      entries.set(name, { mode: '100644', path: name, oid, type: 'blob' });
    }
    for (const name of gone) {
      if (entries.get(name)?.type === 'blob') entries.delete(name);
    }
    for (const name of new Set([...below.keys(), ...goneBelow.keys()])) {
      const existing = entries.get(name);
      const sub = below.get(name) ?? [];
      if (existing && existing.type !== 'tree') {
        if (sub.length === 0) continue;
        throw new InputError(
          `Cannot write under ${name}/: the repository has a file there`,
        );
      }
      if (!existing && sub.length === 0) continue;
      const oid = await this.applyFiles(
        existing?.oid,
        sub,
        goneBelow.get(name) ?? [],
      );
      if (oid === EMPTY_TREE) entries.delete(name);
      else entries.set(name, { mode: '040000', path: name, oid, type: 'tree' });
    }
    return git.writeTree({ fs, dir: this.dir, tree: [...entries.values()] });
  }
}

function signature(who: { name: string; email: string }) {
  return {
    name: who.name,
    email: who.email,
    timestamp: Math.floor(Date.now() / 1000),
    timezoneOffset: 0,
  };
}

/** Joins a repository-relative path, refusing anything that escapes the root. */
export function safeJoin(root: string, relative: string): string {
  const target = path.resolve(root, relative);
  if (target !== root && !target.startsWith(`${root}${path.sep}`)) {
    throw new InputError(`Path ${relative} escapes the repository`);
  }
  return target;
}
