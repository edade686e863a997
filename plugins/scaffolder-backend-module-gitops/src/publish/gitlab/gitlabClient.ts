import { setTimeout as sleep } from 'node:timers/promises';
import type { ResponseError } from './gitlabErrors';

/**
 * Retry tuning of the GitLab client: how often a 429 or 5xx answer is
 * retried and the first wait (doubled each time; a `Retry-After` header
 * wins). Tests shorten the waits.
 * @public
 */
export type GitlabClientTuning = {
  retries?: number;
  retryBaseMs?: number;
};

const DEFAULT_RETRIES = 3;
const DEFAULT_RETRY_BASE_MS = 1000;
const MAX_WAIT_MS = 60_000;

/** An answer of the GitLab API that was not 2xx. */
export class GitlabHttpError extends Error implements ResponseError {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly detail: string,
  ) {
    super(`GitLab answered ${status} to ${method} ${path}: ${detail}`);
    this.name = 'GitlabHttpError';
  }
}

/** The message GitLab puts in an error body (`message` or `error`). */
function detailOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
    const value = parsed.message ?? parsed.error ?? body;
    return typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    return body.slice(0, 500);
  }
}

/** How long to wait before retry `attempt` (0-based). */
export function retryDelayMs(
  attempt: number,
  retryAfter: string | null,
  baseMs: number,
): number {
  const seconds = retryAfter === null ? NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) {
    return Math.min(seconds * 1000, MAX_WAIT_MS);
  }
  return Math.min(baseMs * 2 ** attempt, MAX_WAIT_MS);
}

/**
 * A small GitLab REST API v4 client for one project: JSON in and out,
 * the integration's auth headers, retries with backoff on 429 and 5xx.
 * Errors name the method and path, never the headers (the token).
 */
export class GitlabClient {
  constructor(
    private readonly options: {
      /** `integrations.gitlab[].apiBaseUrl`, e.g. `https://gitlab.com/api/v4`. */
      apiBaseUrl: string;
      headers: Record<string, string>;
      tuning?: GitlabClientTuning;
    },
  ) {}

  /** `/projects/<url-encoded path>` of a project path such as `group/sub/project`. */
  static projectPath(projectPath: string): string {
    return `/projects/${encodeURIComponent(projectPath)}`;
  }

  async request<T>(
    method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<{ data: T; headers: Headers }> {
    const retries = this.options.tuning?.retries ?? DEFAULT_RETRIES;
    const base = this.options.tuning?.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
    const url = `${this.options.apiBaseUrl.replace(/\/+$/, '')}${path}`;
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(url, {
        method,
        headers: {
          ...this.options.headers,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.ok) {
        const text = method === 'HEAD' ? '' : await response.text();
        return {
          data: (text ? JSON.parse(text) : undefined) as T,
          headers: response.headers,
        };
      }
      const text = method === 'HEAD' ? '' : await response.text();
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable || attempt >= retries) {
        throw new GitlabHttpError(
          response.status,
          method,
          path.split('?')[0],
          detailOf(text) || response.statusText,
        );
      }
      await sleep(
        retryDelayMs(attempt, response.headers.get('retry-after'), base),
      );
    }
  }

  async get<T>(path: string): Promise<T> {
    return (await this.request<T>('GET', path)).data;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return (await this.request<T>('POST', path, body)).data;
  }

  async put<T>(path: string, body: unknown): Promise<T> {
    return (await this.request<T>('PUT', path, body)).data;
  }
}
