/**
 * Tells a signal apart from one already acted on: the channel, the source
 * it names (`cluster` or `instance`) and its `revision`; undefined when the
 * message has no revision (then every one counts).
 */
export function signalKey(
  channel: string,
  message: Record<string, unknown> | null | undefined,
): string | undefined {
  if (!message) return undefined;
  const revision = message.revision;
  if (typeof revision !== 'number' && typeof revision !== 'string') {
    return undefined;
  }
  const source = message.cluster ?? message.instance ?? '';
  return `${channel}|${String(source)}|${revision}`;
}
