import path from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { isError } from '@backstage/errors';
import { readPublishSettings } from '../publish/settings';

/**
 * Failures a user can act on (input, permission, a race, something
 * missing): the task log shows their message alone, without a stack trace.
 */
const EXPECTED_FAILURES = new Set([
  'InputError',
  'NotAllowedError',
  'ConflictError',
  'NotFoundError',
  'AuthenticationError',
]);

/** A directory of the server and how a message may name what is inside it. */
export type ServerRoot = {
  path: string;
  /** How the root itself is named; paths inside it become relative to it. */
  name: string;
};

const ABSOLUTE_PATH = /(^|[\s(["'`=])(?:file:\/\/)?(\/[^\s"'`()[\]{},;]+)/g;

/**
 * Rewrites the absolute server paths of a message: a path inside a known
 * root becomes `<root name>/<relative path>`, any other its last segment.
 */
export function redactServerPaths(message: string, roots: ServerRoot[]) {
  const sorted = [...roots].sort((a, b) => b.path.length - a.path.length);
  return message.replace(ABSOLUTE_PATH, (_match, before: string, p: string) => {
    const trailing = /[.:]+$/.exec(p)?.[0] ?? '';
    const bare = trailing ? p.slice(0, -trailing.length) : p;
    const root = sorted.find(
      r => bare === r.path || bare.startsWith(`${r.path}${path.sep}`),
    );
    const shown = root
      ? [root.name, path.relative(root.path, bare)].filter(Boolean).join('/')
      : path.basename(bare);
    return `${before}${shown}${trailing}`;
  });
}

/**
 * The server directories a task of these actions may name in an error: its
 * workspace (when it has one) and the local GitOps repositories of the
 * configuration.
 */
export function serverRootsOf(
  config: Config,
  workspacePath: string | undefined,
): ServerRoot[] {
  const roots: ServerRoot[] = workspacePath
    ? [{ path: path.resolve(workspacePath), name: 'workspace' }]
    : [];
  try {
    const settings = readPublishSettings(config);
    for (const value of [
      settings.repository,
      ...settings.allowedRepositories,
    ]) {
      if (
        value &&
        !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) &&
        !value.includes('?')
      ) {
        const absolute = path.resolve(value);
        roots.push({ path: absolute, name: path.basename(absolute) });
      }
    }
  } catch {
    // a broken gitops config is reported by the action itself
  }
  return roots;
}

/** A task logger that writes messages without absolute server paths. */
class RedactingLogger implements LoggerService {
  constructor(
    private readonly inner: LoggerService,
    private readonly roots: ServerRoot[],
  ) {}

  private write(
    level: 'error' | 'warn' | 'info' | 'debug',
    message: string,
    meta?: Error | JsonObject,
  ) {
    const text = redactServerPaths(message, this.roots);
    if (meta === undefined) this.inner[level](text);
    else this.inner[level](text, meta);
  }

  error(message: string, meta?: Error | JsonObject) {
    this.write('error', message, meta);
  }

  warn(message: string, meta?: Error | JsonObject) {
    this.write('warn', message, meta);
  }

  info(message: string, meta?: Error | JsonObject) {
    this.write('info', message, meta);
  }

  debug(message: string, meta?: Error | JsonObject) {
    this.write('debug', message, meta);
  }

  child(meta: JsonObject): LoggerService {
    return new RedactingLogger(this.inner.child(meta), this.roots);
  }
}

/**
 * Runs an action's work with a task logger that leaves out server paths; an
 * expected failure is rethrown as the same error with its message freed of
 * server paths and its stack replaced by that message, which is what the
 * scaffolder writes into the task log.
 */
export async function reportingFailures<T>(
  ctx: { workspacePath?: string; logger: LoggerService },
  config: Config,
  run: (logger: LoggerService) => Promise<T>,
): Promise<T> {
  const roots = serverRootsOf(config, ctx.workspacePath);
  try {
    return await run(new RedactingLogger(ctx.logger, roots));
  } catch (error) {
    if (isError(error) && EXPECTED_FAILURES.has(error.name)) {
      const message = redactServerPaths(error.message, roots);
      error.message = message;
      error.stack = message;
    }
    throw error;
  }
}
