import {
  LifecycleChange,
  OpenChange,
  openChangeOf,
} from '@epicshelter/plugin-environments-common';
import type { GitOpsRepositoryReader } from './repository';

/**
 * The open change of an environment from what its change branch holds: an
 * open pull/merge request as the host reports it; for the local repository
 * the branch, when it has commits the GitOps branch lacks. Undefined when
 * nothing is open or the branch cannot be compared.
 */
export async function findOpenChange(
  repository: GitOpsRepositoryReader | undefined,
  change: LifecycleChange | undefined,
): Promise<OpenChange | undefined> {
  if (change?.kind !== 'branch') return openChangeOf(change);
  if (!repository) return undefined;
  try {
    const counts = await repository.compare(
      repository.defaultBranch,
      change.sha,
    );
    return openChangeOf(change, counts.aheadBy > 0);
  } catch {
    return undefined;
  }
}
