import {
  CacheService,
  ServiceRef,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { readGitOpsConfig } from '../config';
import type { GitOpsRepositoryLocation } from '../extensions';
import { CachingGitOpsRepository } from './CachingGitOpsRepository';
import { GithubRepositoryHost } from './GithubRepositoryHost';
import { GitlabRepositoryHost } from './GitlabRepositoryHost';
import { LocalRepositoryHost } from './LocalRepositoryHost';
import type { RepositoryHost } from './RepositoryHost';
import type { GitOpsRepository, GitOpsRepositoryService } from './types';

/** The `gitops.repository` of app-config as a location. */
function configuredLocation(config: Config): {
  location: GitOpsRepositoryLocation;
  defaultBranch: string;
  branchPrefix: string;
} {
  const gitops = readGitOpsConfig(config);
  const { defaultBranch, branchPrefix } = gitops;
  if (gitops.kind === 'local') {
    return {
      location: { type: 'local', path: gitops.path },
      defaultBranch,
      branchPrefix,
    };
  }
  return {
    location: {
      type: 'remote',
      integration: gitops.kind,
      host: new URL(gitops.url).host,
      owner: gitops.owner,
      repo: gitops.repo,
      url: gitops.url,
    },
    defaultBranch,
    branchPrefix,
  };
}

/**
 * Reads GitOps repositories: local git, GitHub (github.com and GitHub
 * Enterprise hosts of `integrations.github`, with their credentials, GitHub
 * Apps included) and GitLab (gitlab.com and the hosts of
 * `integrations.gitlab`), caching what a commit holds in the cache service.
 * @public
 */
export class DefaultGitOpsRepositoryService implements GitOpsRepositoryService {
  /** `gitops.repository` once read: the repository, or why it cannot be read. */
  private configuredResult?:
    | { repository: GitOpsRepository | undefined }
    | { error: unknown };

  /** Reads `gitops.*` and `integrations.*` of app-config. */
  static fromConfig(
    config: Config,
    options: { cache?: CacheService; fetch?: typeof fetch } = {},
  ): DefaultGitOpsRepositoryService {
    return new DefaultGitOpsRepositoryService(config, options);
  }

  private readonly integrations: ScmIntegrations;
  private readonly githubCredentials: DefaultGithubCredentialsProvider;

  private constructor(
    private readonly config: Config,
    private readonly options: { cache?: CacheService; fetch?: typeof fetch },
  ) {
    this.integrations = ScmIntegrations.fromConfig(config);
    this.githubCredentials = DefaultGithubCredentialsProvider.fromIntegrations(
      this.integrations,
    );
  }

  /**
   * `gitops.repository`, read on the first call.
   * @throws InputError for a malformed `gitops` section or a repository on
   * a host without an implementation (e.g. one only an adopter's publisher
   * writes to)
   */
  configured(): GitOpsRepository | undefined {
    if (!this.configuredResult) {
      try {
        const settings = this.config.has('gitops')
          ? configuredLocation(this.config)
          : undefined;
        this.configuredResult = {
          repository: settings && this.open(settings.location, settings),
        };
      } catch (error) {
        this.configuredResult = { error };
      }
    }
    if ('error' in this.configuredResult) throw this.configuredResult.error;
    return this.configuredResult.repository;
  }

  open(
    location: GitOpsRepositoryLocation,
    settings: { defaultBranch?: string; branchPrefix?: string } = {},
  ): GitOpsRepository {
    return new CachingGitOpsRepository(
      this.host(location),
      settings.defaultBranch ??
        this.config.getOptionalString('gitops.defaultBranch') ??
        'main',
      settings.branchPrefix ??
        this.config.getOptionalString('gitops.branchPrefix') ??
        'epicshelter/',
      this.options.cache,
    );
  }

  private host(location: GitOpsRepositoryLocation): RepositoryHost {
    if (location.type === 'local') {
      return new LocalRepositoryHost(location.path);
    }
    const { owner, repo, url, host } = location;
    const webBaseUrl = new URL(url).origin;
    if (location.integration === 'github') {
      const integration = this.integrations.github.byHost(host);
      return new GithubRepositoryHost({
        owner,
        repo,
        webBaseUrl,
        apiBaseUrl: integration?.config.apiBaseUrl ?? 'https://api.github.com',
        token: async () =>
          (await this.githubCredentials.getCredentials({ url })).token,
        fetch: this.options.fetch,
      });
    }
    if (location.integration === 'gitlab') {
      const integration = this.integrations.gitlab.byHost(host);
      return new GitlabRepositoryHost({
        owner,
        repo,
        webBaseUrl,
        apiBaseUrl: integration?.config.apiBaseUrl ?? `${webBaseUrl}/api/v4`,
        token: async () => integration?.config.token,
        fetch: this.options.fetch,
      });
    }
    throw new InputError(
      `Cannot read the GitOps repository ${url}: reading ${location.integration} repositories is not supported (local git, GitHub and GitLab are)`,
    );
  }
}

function createDefaultFactory(
  service: ServiceRef<GitOpsRepositoryService, 'plugin', 'singleton'>,
) {
  return createServiceFactory({
    service,
    deps: { config: coreServices.rootConfig, cache: coreServices.cache },
    factory: ({ config, cache }) =>
      DefaultGitOpsRepositoryService.fromConfig(config, { cache }),
  });
}

/**
 * The GitOps repository service: `gitops.repository` and the other
 * repositories a task may name, read through one implementation per host
 * (local git, GitHub, GitLab) and cached by commit.
 * @public
 */
export const gitopsRepositoryServiceRef =
  createServiceRef<GitOpsRepositoryService>({
    id: 'epicshelter.gitops.repository',
    scope: 'plugin',
    defaultFactory: async service => createDefaultFactory(service),
  });

/**
 * The default factory of {@link gitopsRepositoryServiceRef}: reads
 * `gitops.*` and `integrations.*` of app-config and caches in the plugin's
 * cache service.
 * @public
 */
export const gitopsRepositoryServiceFactory = createDefaultFactory(
  gitopsRepositoryServiceRef,
);
