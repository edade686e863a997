/**
 * The JSON values of a newline-delimited JSON body (grpc-gateway's
 * streaming answers), one per line, as they arrive; blank lines are
 * skipped, a line that is not JSON throws.
 */
export async function* jsonLines(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) yield parseLine(line);
      newline = buffer.indexOf('\n');
    }
  }
  const rest = (buffer + decoder.decode()).trim();
  if (rest) yield parseLine(rest);
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(
      `the watch stream sent a line that is not JSON (${line.length} characters)`,
    );
  }
}
