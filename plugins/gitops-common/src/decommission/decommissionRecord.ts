/** Commit message line naming who requested a decommission (an entity ref). @public */
export const DECOMMISSION_REQUESTER_LINE = 'Decommission-Requested-By';
/** Commit message line naming the environment's owner at decommission time (an entity ref). @public */
export const DECOMMISSION_OWNER_LINE = 'Decommission-Owner';

/**
 * Who may follow a decommission once the catalog has dropped the
 * environment, as its change records it: the requester and the owner at
 * decommission time (entity refs).
 * @public
 */
export interface DecommissionRecord {
  /** Who requested it (`user:default/ada`). */
  requester?: string;
  /** The environment's owners when it was decommissioned. */
  owners: string[];
}

/** The lines a decommission change's commit message and pull request body carry. @public */
export function decommissionRecordLines(record: DecommissionRecord): string[] {
  return [
    ...(record.requester
      ? [`${DECOMMISSION_REQUESTER_LINE}: ${record.requester}`]
      : []),
    ...record.owners.map(o => `${DECOMMISSION_OWNER_LINE}: ${o}`),
  ];
}

/**
 * The record a commit message (or pull request body) carries, read from
 * its {@link decommissionRecordLines}; refs are lower-cased. Undefined when
 * it carries none.
 * @public
 */
export function decommissionRecordOf(
  message: string,
): DecommissionRecord | undefined {
  let requester: string | undefined;
  const owners: string[] = [];
  for (const line of message.split('\n')) {
    const m = /^\s*([A-Za-z-]+):\s*(\S+)\s*$/.exec(line);
    if (!m) continue;
    const value = m[2].toLocaleLowerCase('en-US');
    if (m[1] === DECOMMISSION_REQUESTER_LINE) requester = value;
    if (m[1] === DECOMMISSION_OWNER_LINE && !owners.includes(value)) {
      owners.push(value);
    }
  }
  return requester || owners.length > 0
    ? { ...(requester ? { requester } : {}), owners }
    : undefined;
}
