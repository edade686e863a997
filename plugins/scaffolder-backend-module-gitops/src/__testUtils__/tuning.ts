import Bottleneck from 'bottleneck';
import type { GithubClientTuning } from '../publish/github/octokit';

/**
 * Octokit tuning for tests and benchmarks: the same retry and throttling
 * plugins, with waits measured in milliseconds instead of seconds.
 */
export function fastGithubTuning(): GithubClientTuning {
  const group = () => new Bottleneck.Group({ maxConcurrent: 10, minTime: 0 });
  return {
    retry: { retries: 3, retryAfterBaseValue: 1 },
    throttle: {
      retryAfterBaseValue: 1,
      fallbackSecondaryRateRetryAfter: 1,
      write: group(),
      notifications: group(),
      search: group(),
      global: group(),
    },
  };
}
