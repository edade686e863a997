import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** An HTTP failure with its status. */
export interface ResponseError extends Error {
  status: number;
  detail: string;
}

/** The status of a GitLab HTTP failure, undefined for other errors. */
export function statusOf(e: unknown): number | undefined {
  return (e as Partial<ResponseError>)?.status;
}

/** What GitLab said, or the error's message. */
export function detailOf(e: unknown): string {
  const err = e as Partial<ResponseError>;
  return err?.detail ?? err?.message ?? String(e);
}

/**
 * Turns a GitLab failure into the Backstage error for its status, naming
 * what was being done, the project and the integration to check.
 */
export function describeGitlabError(
  e: unknown,
  doing: string,
  where: { host: string; project: string },
): Error {
  const status = statusOf(e);
  const detail = detailOf(e);
  const integration = `integrations.gitlab (host ${where.host})`;
  if (status === 401) {
    return new AuthenticationError(
      `GitLab rejected the credentials of ${integration} while ${doing} in ${where.project}: ${detail}. Check the token configured for ${where.host}.`,
    );
  }
  if (status === 403) {
    return new NotAllowedError(
      `The token of ${integration} may not ${doing} in ${where.project}: ${detail}`,
    );
  }
  if (status === 404) {
    return new NotFoundError(
      `GitLab answered 404 while ${doing} in ${where.project} (the project or branch does not exist, or the token of ${integration} cannot see it): ${detail}`,
    );
  }
  if (status === 400 || status === 422) {
    return new InputError(
      `GitLab refused ${doing} in ${where.project}: ${detail}`,
    );
  }
  return new ServiceUnavailableError(
    `GitLab failed while ${doing} in ${where.project}${
      status ? ` (HTTP ${status})` : ''
    }: ${detail}`,
  );
}
