import type { ClusterRole } from '../../constants';

/**
 * Management policies of the bootstrap: create when missing, then only
 * observe; never update, never delete.
 */
export const CREATE_ONCE = ['Observe', 'Create'] as const;

/** Management policies of a cloud cluster's resources per role (none: all). */
export const ROLE_POLICIES: Record<ClusterRole, readonly string[]> = {
  bootstrap: CREATE_ONCE,
  observe: ['Observe'],
  'self-managed': [],
};
