/** One event of the TechDocs backend's `/sync` event stream. */
export type SyncEvent = { type: string; data: unknown };

/**
 * Parses the `text/event-stream` body the TechDocs backend answers on
 * `/sync/:namespace/:kind/:name` (`log`, then `finish` or `error` events,
 * each `event: <type>` and `data: <json>`).
 */
export function parseSyncEvents(body: string): SyncEvent[] {
  const events: SyncEvent[] = [];
  for (const block of body.split(/\r?\n\r?\n/)) {
    let type = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trim());
    }
    if (data.length === 0) continue;
    const text = data.join('\n');
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    events.push({ type, data: value });
  }
  return events;
}

/** The outcome of one sync: built, or the error the stream reported. */
export function syncOutcome(
  events: SyncEvent[],
): { ok: true } | { ok: false; message: string } {
  const error = events.find(e => e.type === 'error');
  if (error) return { ok: false, message: String(error.data) };
  if (events.some(e => e.type === 'finish')) return { ok: true };
  return {
    ok: false,
    message: 'the docs build ended without a finish or error event',
  };
}
