import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { GithubRepository, integrationName } from './octokit';

type RequestError = Error & {
  status?: number;
  response?: { data?: any; headers?: Record<string, string> };
};

/** The HTTP status of a failed Octokit request, if it has one. */
export function statusOf(e: unknown): number | undefined {
  return (e as RequestError)?.status;
}

/** GitHub's message of a failed Octokit request, else the error's. */
export function messageOf(e: unknown): string {
  const err = e as RequestError;
  return err?.response?.data?.message ?? err?.message ?? String(e);
}

/** GitHub's whole error body (its `errors` hold the details), as text. */
export function errorBodyOf(e: unknown): string {
  return JSON.stringify((e as RequestError).response?.data ?? messageOf(e));
}

/** Whether GitHub refused to create something because it exists (422). */
export function isAlreadyExists(e: unknown, body = messageOf(e)): boolean {
  return statusOf(e) === 422 && /already exists/i.test(body);
}

/**
 * A failed GitHub request as a Backstage error that says what was being
 * done, where, and which integration's credentials were used.
 */
export function describeGithubError(
  e: unknown,
  doing: string,
  repository: GithubRepository,
): Error {
  const status = statusOf(e);
  const { owner, repo, host } = repository;
  const detail = messageOf(e);
  if (status === 401) {
    return new AuthenticationError(
      `GitHub rejected the credentials of ${integrationName(
        host,
      )} while ${doing} in ${owner}/${repo}: ${detail}. Check the token or GitHub App configured for ${host}.`,
    );
  }
  if (status === 403) {
    return new NotAllowedError(
      `The credentials of ${integrationName(
        host,
      )} may not ${doing} in ${owner}/${repo}: ${detail}`,
    );
  }
  if (status === 404) {
    return new NotFoundError(
      `GitHub answered 404 while ${doing} in ${owner}/${repo} (the repository or branch does not exist, or ${integrationName(
        host,
      )} cannot see it): ${detail}`,
    );
  }
  if (status === 422) {
    return new InputError(
      `GitHub refused ${doing} in ${owner}/${repo}: ${detail}`,
    );
  }
  return new ServiceUnavailableError(
    `GitHub failed while ${doing} in ${owner}/${repo}${
      status ? ` (HTTP ${status})` : ''
    }: ${detail}`,
  );
}
