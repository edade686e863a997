import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import type { Config } from '@backstage/config';
import { ForwardedError, InputError, NotFoundError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import {
  DefaultGitOpsRepositoryService,
  GitOpsRepositoryService,
} from '@epicshelter/plugin-gitops-node';
import {
  GitOpsRepositoryLocation,
  PublishSettings,
  parseRepositoryLocation,
  readPublishSettings,
} from './publish/settings';
import type { ChangeFile } from './publish/types';
import {
  assertAllowedRepository,
  repositoryKey,
} from './publish/allowedRepositories';

/** Loads the blueprint files a new local repository starts with. @public */
export type BlueprintLoader = () => Promise<ChangeFile[]>;

/** What the read-only actions need to look at the GitOps repository. @public */
export type RepositoryAccess = {
  config: Config;
  integrations: ScmIntegrationRegistry;
  /**
   * The GitOps repository service (`gitopsRepositoryServiceRef` of
   * gitops-node); one without a cache is built from `config` when absent.
   */
  repositories?: GitOpsRepositoryService;
  loadBlueprint?: BlueprintLoader;
};

/** The resolved repository of a task plus the config defaults. @public */
export type ResolvedRepository = {
  location: GitOpsRepositoryLocation;
  settings: PublishSettings;
  /** True when the location came from app-config rather than the task. */
  fromConfig: boolean;
};

/**
 * A repository named by its configuration key, as the form's repository
 * picker names it (so no server path reaches the browser):
 * `gitops.repository` is the configured default, `gitops.allowedRepositories[i]`
 * that entry of the allow-list. Anything else is returned as given.
 */
function configuredRepositoryOf(
  value: string | undefined,
  settings: PublishSettings,
): string | undefined {
  if (!value || value === 'gitops.repository') return undefined;
  const entry = /^gitops\.allowedRepositories\[(\d+)\]$/.exec(value);
  if (!entry) return value;
  const allowed = settings.allowedRepositories[Number(entry[1])];
  if (!allowed?.trim()) {
    throw new InputError(
      `${value} names no repository: gitops.allowedRepositories has ${settings.allowedRepositories.length} entries`,
    );
  }
  return allowed.trim();
}

/**
 * Resolves `input.repository` or the configured default; `input.repository`
 * may also name a configured repository by its key (`gitops.repository`,
 * `gitops.allowedRepositories[i]`). A repository the
 * task names must be `gitops.repository` or one of
 * `gitops.allowedRepositories` (NotAllowedError otherwise).
 * @public
 */
export function resolveRepository(
  access: RepositoryAccess,
  repository: string | undefined,
): ResolvedRepository {
  const settings = readPublishSettings(access.config);
  const explicit = configuredRepositoryOf(repository?.trim(), settings);
  const value = explicit ?? settings.repository;
  if (!value) {
    throw new InputError(
      'No GitOps repository: pass input "repository" or set gitops.repository in app-config',
    );
  }
  const location = parseRepositoryLocation(value, access.integrations);
  if (explicit === undefined) {
    return { location, settings, fromConfig: true };
  }
  assertAllowedRepository(location, settings, access.integrations);
  const configured = settings.repository
    ? resolveRepository(access, undefined).location
    : undefined;
  return {
    location,
    settings,
    fromConfig:
      configured !== undefined &&
      repositoryKey(configured) === repositoryKey(location),
  };
}

/**
 * What a branch of the GitOps repository held when it was read: its files
 * and its head commit (empty when a local repository does not exist yet and
 * its blueprint was read instead).
 * @public
 */
export type RepositorySnapshot = {
  files: Record<string, string>;
  commit: string;
};

/**
 * Reads every file of the repository's base branch.
 * @public
 */
export async function readRepositoryFiles(
  access: RepositoryAccess,
  resolved: ResolvedRepository,
  logger: LoggerService,
  branch?: string,
): Promise<Record<string, string>> {
  return (await readRepositorySnapshot(access, resolved, logger, branch)).files;
}

/**
 * Reads every file of the repository's base branch and its head commit,
 * through the GitOps repository service (local git, GitHub, GitLab; cached
 * by commit). A configured local repository that does not exist yet reads
 * as the blueprint it will be created from.
 * @public
 */
export async function readRepositorySnapshot(
  access: RepositoryAccess,
  resolved: ResolvedRepository,
  logger: LoggerService,
  branch?: string,
): Promise<RepositorySnapshot> {
  const { location, settings } = resolved;
  if (location.type === 'local') {
    const exists = fs.existsSync(path.join(location.path, '.git'));
    if (!exists && resolved.fromConfig && access.loadBlueprint) {
      logger.info(
        `GitOps repository ${location.path} does not exist yet; checking against the blueprint it will be created from`,
      );
      const files = await access.loadBlueprint();
      return {
        files: Object.fromEntries(files.map(f => [f.path, f.content])),
        commit: '',
      };
    }
    if (!fs.existsSync(location.path)) {
      throw new NotFoundError(
        `GitOps repository path ${location.path} does not exist; run the "Bootstrap a GitOps repository" template or set gitops.repository to an existing repository`,
      );
    }
  }
  const base =
    branch ??
    settings.defaultBranch ??
    (location.type === 'local'
      ? await checkedOutBranch(location.path)
      : 'main');
  const repository = (
    access.repositories ??
    DefaultGitOpsRepositoryService.fromConfig(access.config)
  ).open(location, { defaultBranch: base });
  const where = location.type === 'local' ? location.path : location.url;
  try {
    const head = await repository.head(base);
    if (!head) {
      throw new NotFoundError(
        `Branch ${base} does not exist in GitOps repository ${where}: the repository has no commit yet`,
      );
    }
    return { files: await repository.readFiles(head.sha), commit: head.sha };
  } catch (error) {
    if (location.type === 'local') throw error;
    // a failure names what to check and keeps the host's error as cause
    throw new ForwardedError(
      `Cannot read GitOps repository ${location.url} at branch "${base}": check that the repository and branch exist and that integrations.${location.integration} (host ${location.host}) in app-config has a token that can read it`,
      error,
    );
  }
}

/** The branch a local repository has checked out, `main` for a detached HEAD. */
async function checkedOutBranch(dir: string): Promise<string> {
  return (
    (await git.currentBranch({ fs, dir }).catch(() => undefined)) ?? 'main'
  );
}

/**
 * Reads the GitOps repository a task names (`repository`, else
 * gitops.repository) at `targetBranch` (else its default branch).
 * @public
 */
export async function readTaskRepository(
  access: RepositoryAccess,
  input: { repository?: string; targetBranch?: string },
  logger: LoggerService,
): Promise<Record<string, string>> {
  return (await readTaskSnapshot(access, input, logger)).files;
}

/**
 * Reads the GitOps repository a task names, with the commit read (the base
 * a change computed from it is published against).
 * @public
 */
export async function readTaskSnapshot(
  access: RepositoryAccess,
  input: { repository?: string; targetBranch?: string },
  logger: LoggerService,
): Promise<RepositorySnapshot> {
  return readRepositorySnapshot(
    access,
    resolveRepository(access, input.repository),
    logger,
    input.targetBranch,
  );
}
