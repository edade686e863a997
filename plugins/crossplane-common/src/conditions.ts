import type { CrossplaneCondition } from './types';

function statusOf(
  conditions: CrossplaneCondition[],
  type: string,
): 'True' | 'False' | 'Unknown' {
  const c = conditions.find(x => x.type === type);
  if (c?.status === 'True' || c?.status === 'False') return c.status;
  return 'Unknown';
}

/**
 * Ready and Synced status of an object from its conditions.
 * @public
 */
export function readySynced(conditions: CrossplaneCondition[]): {
  ready: 'True' | 'False' | 'Unknown';
  synced: 'True' | 'False' | 'Unknown';
} {
  return {
    ready: statusOf(conditions, 'Ready'),
    synced: statusOf(conditions, 'Synced'),
  };
}

/**
 * The first condition that is not healthy, Synced before Ready (a sync error
 * explains why something is not ready), then any other False condition.
 * @public
 */
export function firstFailingCondition(
  conditions: CrossplaneCondition[],
): CrossplaneCondition | undefined {
  const order = ['Synced', 'Ready'];
  for (const type of order) {
    const c = conditions.find(x => x.type === type);
    if (c && c.status !== 'True') return c;
  }
  return conditions.find(c => c.status === 'False');
}

/**
 * One line summary of a failing condition: `Type: Reason – message`.
 * @public
 */
export function describeCondition(c: CrossplaneCondition): string {
  const head = `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`;
  return c.message ? `${head}: ${c.message}` : head;
}
