import yaml from 'yaml';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import {
  LifecycleChange,
  OpenChange,
  OpenChangeScope,
  openChangeOf,
  openChangeScope,
} from '@epicshelter/plugin-environments-common';
import type { GitOpsRepositoryReader } from './repository';

const message = (e: unknown) => (isError(e) ? e.message : String(e));

/** The environment document at a commit, parsed; undefined when absent or not YAML. */
async function environmentDocument(
  repository: GitOpsRepositoryReader,
  commit: string,
  path: string,
): Promise<unknown> {
  const text = await repository.readFile(commit, path);
  if (text === undefined) return undefined;
  try {
    return yaml.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * What an open change touches in its environment: the files its branch
 * changes since the merge base with the GitOps branch and, when the
 * environment document is among them, that document before and after.
 * Every read is at a full commit SHA, so the repository service's cache
 * answers it the next time: per environment with an open change, a hosted
 * repository is asked for the branch head and, once per new head, one
 * comparison and the document's two versions. Undefined when the host
 * lists only some of the branch's files (GitHub stops at 300): the change
 * then shows on the environment, not on guessed workloads.
 */
async function scopeOf(options: {
  repository: GitOpsRepositoryReader;
  environment: string;
  /** The head commit of the change. */
  changeHead: string;
  /** The head commit of the GitOps branch, or the branch. */
  base: string;
}): Promise<Required<OpenChangeScope> | undefined> {
  const { repository, environment, changeHead, base } = options;
  const { mergeBase, files, truncated } = await repository.changedFiles(
    base,
    changeHead,
  );
  // The host listed only some files: what the change touches is unknown.
  if (truncated) return undefined;
  const documentPath = `environments/${environment}/environment.yaml`;
  if (!files.some(f => f.path === documentPath)) {
    return openChangeScope({ environment, files });
  }
  const [before, after] = await Promise.all([
    environmentDocument(repository, mergeBase, documentPath),
    environmentDocument(repository, changeHead, documentPath),
  ]);
  return openChangeScope({ environment, files, before, after });
}

/**
 * The open change of an environment from what its change branch holds: an
 * open pull/merge request as the host reports it; for the local repository
 * the branch, when it has commits the GitOps branch lacks. With the
 * workloads it touches there (and whether it removes the environment) when
 * the branch's files could be read. Undefined when nothing is open or the
 * branch cannot be compared.
 */
export async function findOpenChange(options: {
  repository: GitOpsRepositoryReader | undefined;
  environment: string;
  /** The branch the change is proposed on (`epicshelter/<env>`). */
  changeBranch: string;
  change: LifecycleChange | undefined;
  /** The head commit of the GitOps branch, when already read. */
  baseHead?: string;
  logger?: LoggerService;
}): Promise<OpenChange | undefined> {
  const { repository, environment, changeBranch, change, logger } = options;
  let open: OpenChange | undefined;
  let changeHead: string | undefined;
  if (change?.kind !== 'branch') {
    open = openChangeOf(change);
    if (!open || !repository) return open;
  } else {
    if (!repository) return undefined;
    try {
      const counts = await repository.compare(
        repository.defaultBranch,
        change.sha,
      );
      open = openChangeOf(change, counts.aheadBy > 0);
    } catch {
      return undefined;
    }
    if (!open) return undefined;
    changeHead = change.sha;
  }
  try {
    changeHead ??= await repository.branchHead(changeBranch);
    if (!changeHead) return open;
    const scope = await scopeOf({
      repository,
      environment,
      changeHead,
      base: options.baseHead ?? repository.defaultBranch,
    });
    if (!scope) {
      logger?.debug(
        `The open change of ${environment} (${changeBranch}) changes more files than the host lists; it is shown on the environment`,
      );
      return open;
    }
    return { ...open, ...scope };
  } catch (e) {
    logger?.debug(
      `What the open change of ${environment} (${changeBranch}) touches could not be read: ${message(
        e,
      )}`,
    );
    return open;
  }
}
