import type { Config } from '@backstage/config';
import { ForwardedError, InputError } from '@backstage/errors';
import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { LocalGitPublisher } from './publish/local/LocalGitPublisher';
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
  urlReader?: UrlReaderService;
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
 * Resolves `input.repository` or the configured default. A repository the
 * task names must be `gitops.repository` or one of
 * `gitops.allowedRepositories` (NotAllowedError otherwise).
 * @public
 */
export function resolveRepository(
  access: RepositoryAccess,
  repository: string | undefined,
): ResolvedRepository {
  const settings = readPublishSettings(access.config);
  const explicit = repository?.trim() || undefined;
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
 * Reads every file of the repository's base branch and its head commit. A
 * configured local repository that does not exist yet reads as the
 * blueprint it will be created from.
 * @public
 */
export async function readRepositorySnapshot(
  access: RepositoryAccess,
  resolved: ResolvedRepository,
  logger: LoggerService,
  branch?: string,
): Promise<RepositorySnapshot> {
  const { location, settings } = resolved;
  const base = branch ?? settings.defaultBranch;
  if (location.type === 'local') {
    const local = new LocalGitPublisher({
      path: location.path,
      logger,
      createIfMissing: false,
      defaultBranch: settings.defaultBranch ?? 'main',
    });
    if (
      !(await local.exists()) &&
      resolved.fromConfig &&
      access.loadBlueprint
    ) {
      logger.info(
        `GitOps repository ${location.path} does not exist yet; checking against the blueprint it will be created from`,
      );
      const files = await access.loadBlueprint();
      return {
        files: Object.fromEntries(files.map(f => [f.path, f.content])),
        commit: '',
      };
    }
    const { files, commit } = await local.readBranch(base);
    return { files: Object.fromEntries(files), commit };
  }
  if (!access.urlReader) {
    throw new InputError(
      `Reading the GitOps repository ${location.url} needs the URL reader service`,
    );
  }
  const tree = await readRemoteTree(access.urlReader, location, base ?? 'main');
  const out: Record<string, string> = {};
  for (const file of await tree.files()) {
    out[file.path] = (await file.content()).toString('utf8');
  }
  // the GitHub and GitLab URL readers' etag is the commit they read
  return { files: out, commit: tree.etag };
}

/**
 * Reads a branch of a hosted repository (GitHub, GitHub Enterprise, GitLab)
 * through the URL reader; a failure names what to check (URL, branch, the
 * integration's token) and keeps the reader's error (its name, e.g.
 * NotFoundError, and message) as cause.
 */
async function readRemoteTree(
  urlReader: UrlReaderService,
  location: Extract<GitOpsRepositoryLocation, { type: 'remote' }>,
  branch: string,
) {
  const treePath = location.integration === 'gitlab' ? '-/tree' : 'tree';
  try {
    return await urlReader.readTree(`${location.url}/${treePath}/${branch}`);
  } catch (error) {
    throw new ForwardedError(
      `Cannot read GitOps repository ${location.url} at branch "${branch}": check that the repository and branch exist and that integrations.${location.integration} (host ${location.host}) in app-config has a token that can read it`,
      error,
    );
  }
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
