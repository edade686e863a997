import path from 'node:path';
import type { Config } from '@backstage/config';
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
 * workspace and the local GitOps repositories of the configuration.
 */
export function serverRootsOf(
  config: Config,
  workspacePath: string,
): ServerRoot[] {
  const roots: ServerRoot[] = [
    { path: path.resolve(workspacePath), name: 'workspace' },
  ];
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

/**
 * Runs an action's work; an expected failure is rethrown as the same error
 * with its message freed of server paths and its stack replaced by that
 * message, which is what the scaffolder writes into the task log.
 */
export async function reportingFailures<T>(
  ctx: { workspacePath: string },
  config: Config,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isError(error) && EXPECTED_FAILURES.has(error.name)) {
      const message = redactServerPaths(
        error.message,
        serverRootsOf(config, ctx.workspacePath),
      );
      error.message = message;
      error.stack = message;
    }
    throw error;
  }
}
