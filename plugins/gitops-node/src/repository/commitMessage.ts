import type { GitOpsCommitTrailer } from './types';

/** `Key: value`, the key a token of letters, digits and dashes, as git interpret-trailers reads it. */
const TRAILER = /^([A-Za-z0-9][A-Za-z0-9-]*):[ \t]*(.*)$/;

/**
 * The trailers of a message body: its last paragraph, when every line of it
 * is a `Key: value` trailer or (indented) continues the one before; none
 * otherwise.
 */
function trailersOf(body: string): GitOpsCommitTrailer[] {
  const paragraphs = body.split(/\n[ \t]*\n/);
  const lines = paragraphs[paragraphs.length - 1].split('\n');
  const trailers: GitOpsCommitTrailer[] = [];
  for (const line of lines) {
    const match = TRAILER.exec(line);
    if (match) {
      trailers.push({ key: match[1], value: match[2].trim() });
    } else if (/^[ \t]/.test(line) && trailers.length > 0) {
      const last = trailers[trailers.length - 1];
      last.value = `${last.value} ${line.trim()}`;
    } else {
      return [];
    }
  }
  return trailers;
}

/**
 * A commit message as the commit page shows it: the first line, the rest
 * (trimmed, trailers included) and the trailers of the last paragraph. The
 * subject line alone is never a trailer block.
 */
export function parseCommitMessage(message: string): {
  subject: string;
  body: string;
  trailers: GitOpsCommitTrailer[];
} {
  const [subject, ...rest] = message
    .replace(/\r\n/g, '\n')
    .trimEnd()
    .split('\n');
  const body = rest.join('\n').trim();
  return { subject, body, trailers: body ? trailersOf(body) : [] };
}
