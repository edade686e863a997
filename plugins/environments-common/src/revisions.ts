/** How a deployed revision relates to the head of the GitOps branch. @public */
export type RevisionStatus =
  | 'in-sync'
  | 'behind'
  | 'ahead'
  | 'diverged'
  | 'unknown';

/** A deployed revision compared with the head of the GitOps branch. @public */
export interface RevisionComparison {
  revision: string;
  head: string;
  status: RevisionStatus;
  /** Commits on the branch head that the revision lacks. */
  behindBy?: number;
  /** Commits in the revision that the branch head lacks. */
  aheadBy?: number;
  /** Why the status is unknown. */
  message?: string;
}

/**
 * Classifies a revision from its commit counts relative to the head.
 * @public
 */
export function classifyRevision(
  revision: string,
  head: string,
  counts: { aheadBy: number; behindBy: number },
): RevisionComparison {
  const { aheadBy, behindBy } = counts;
  let status: RevisionStatus;
  if (aheadBy === 0 && behindBy === 0) status = 'in-sync';
  else if (aheadBy === 0) status = 'behind';
  else if (behindBy === 0) status = 'ahead';
  else status = 'diverged';
  return { revision, head, status, aheadBy, behindBy };
}

/** One line of text for a comparison, e.g. `behind by 3 commits`. @public */
export function describeRevision(c: RevisionComparison): string {
  const n = (k: number) => `${k} commit${k === 1 ? '' : 's'}`;
  switch (c.status) {
    case 'in-sync':
      return 'in sync';
    case 'behind':
      return `behind by ${n(c.behindBy ?? 0)}`;
    case 'ahead':
      return `ahead by ${n(c.aheadBy ?? 0)}`;
    case 'diverged':
      return `diverged: ${n(c.aheadBy ?? 0)} ahead, ${n(
        c.behindBy ?? 0,
      )} behind`;
    default:
      return c.message ? `unknown: ${c.message}` : 'unknown';
  }
}
