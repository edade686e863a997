import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

/** Octokit with the retry and throttling plugins. @public */
export const GitOpsOctokit = Octokit.plugin(retry, throttling);
/** @public */
export type GitOpsOctokitClient = InstanceType<typeof GitOpsOctokit>;

/**
 * Extra Octokit options, merged over the defaults. Tests use it to make the
 * retry and throttling waits short; production leaves it empty.
 * @public
 */
export type GithubClientTuning = {
  retry?: { retries?: number; retryAfterBaseValue?: number };
  throttle?: Record<string, unknown>;
  request?: Record<string, unknown>;
};

/** Where a GitHub repository lives and which integration serves it. @public */
export type GithubRepository = {
  host: string;
  owner: string;
  repo: string;
};

/** Name of the integration config entry that serves a host, for messages. @public */
export function integrationName(host: string): string {
  return `integrations.github (host ${host})`;
}

/**
 * Builds an authenticated Octokit for a repository from the GitHub integration
 * (token or GitHub App). Throws InputError naming the integration when none
 * is configured or it has no credentials.
 * @public
 */
export async function createGithubClient(options: {
  integrations: ScmIntegrationRegistry;
  repository: GithubRepository;
  logger: LoggerService;
  credentialsProvider?: GithubCredentialsProvider;
  tuning?: GithubClientTuning;
  /** Token supplied by the user (`secrets.USER_OAUTH_TOKEN` in the template). */
  token?: string;
}): Promise<GitOpsOctokitClient> {
  const { integrations, repository, logger, tuning } = options;
  const integration = integrations.github.byHost(repository.host);
  if (!integration) {
    throw new InputError(
      `No GitHub integration is configured for host ${repository.host}; add it under integrations.github in app-config.yaml`,
    );
  }
  let token = options.token;
  if (!token) {
    const provider =
      options.credentialsProvider ??
      DefaultGithubCredentialsProvider.fromIntegrations(integrations);
    const credentials = await provider.getCredentials({
      url: `https://${repository.host}/${repository.owner}/${repository.repo}`,
    });
    token = credentials.token;
  }
  if (!token) {
    throw new InputError(
      `The GitHub integration ${integrationName(
        repository.host,
      )} has no token and no GitHub App installation for ${repository.owner}/${
        repository.repo
      }`,
    );
  }
  const maxRetries = tuning?.retry?.retries ?? 3;
  // Both rate limits: log, then retry until the retry budget is spent.
  const retryOnLimit =
    (limit: string) =>
    (retryAfter: number, opts: any, _o: unknown, count: number) => {
      logger.warn(
        `GitHub ${limit} on ${opts.method} ${
          opts.url
        }; retrying in ${retryAfter}s (attempt ${count + 1})`,
      );
      return count < maxRetries;
    };
  return new GitOpsOctokit({
    auth: token,
    baseUrl: integration.config.apiBaseUrl,
    userAgent: 'epicshelter-gitops-publish',
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.error(message),
    },
    retry: { retries: maxRetries, ...tuning?.retry },
    request: { timeout: 60_000, ...tuning?.request },
    throttle: {
      onRateLimit: retryOnLimit('rate limit'),
      onSecondaryRateLimit: retryOnLimit('secondary rate limit'),
      ...tuning?.throttle,
    },
  });
}
