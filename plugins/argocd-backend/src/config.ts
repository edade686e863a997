import { Config } from '@backstage/config';

/** One Argo CD instance the backend talks to. @public */
export interface ArgoCdInstanceConfig {
  name: string;
  url: string;
  externalUrl: string;
  token?: string;
  username?: string;
  password?: string;
  timeoutMs: number;
  sandbox: boolean;
}

/** Settings of the argocd backend. @public */
export interface ArgoCdBackendConfig {
  instances: ArgoCdInstanceConfig[];
  sandbox: boolean;
  listCacheTtlMs: number;
  historyLimit: number;
  /**
   * Fetch each instance's application list once (projected) and select every
   * entity's applications from it in the backend. Needs list caching.
   */
  sharedList: boolean;
  /** Background warming of the revision metadata cache for listed applications. */
  prefetch: ArgoCdPrefetchConfig;
  /** The long-lived watch of each instance's applications. */
  watch: ArgoCdWatchConfig;
}

/** Settings of the application watch (one stream per instance). @public */
export interface ArgoCdWatchConfig {
  /** Whether the backend watches each instance (`argocd.watch.enabled`, default true). */
  enabled: boolean;
  /** First delay before reconnecting a broken watch; doubles up to `retryMaxMs`. */
  retryMinMs: number;
  /** Longest delay between reconnection attempts. */
  retryMaxMs: number;
  /** Least time between two signals of one instance to browsers. */
  signalDebounceMs: number;
  /** How often the current revision is signalled again, so pages that missed signals catch up. */
  signalHeartbeatMs: number;
}

/** Revision metadata prefetch settings. @public */
export interface ArgoCdPrefetchConfig {
  enabled: boolean;
  /** Most metadata requests the prefetch runs at once (all instances together). */
  concurrency: number;
  /** Most metadata requests waiting to run; more are dropped (the history view fetches them). */
  maxQueued: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function checkUrl(value: string, key: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${key} must be an absolute http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${key} must be an http(s) URL, got "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

/**
 * Reads `argocd.instances[]` and the Roadie/community keys
 * (`argocd.appLocatorMethods[type=config].instances[]`, `argocd.username/password`).
 * Throws with the offending key when the config cannot work.
 * @public
 */
export function readArgoCdConfig(config: Config): ArgoCdBackendConfig {
  const root = config.getOptionalConfig('argocd');
  const defaultTimeout = root?.getOptionalNumber('timeoutMs') ?? 5000;
  const defaultUser = root?.getOptionalString('username');
  const defaultPassword = root?.getOptionalString('password');
  const instances: ArgoCdInstanceConfig[] = [];

  const add = (c: Config, key: string) => {
    const name = c.getString('name');
    if (!NAME.test(name)) {
      throw new Error(
        `${key}.name "${name}" may only contain letters, digits, '.', '_' and '-'`,
      );
    }
    if (instances.some(i => i.name === name)) {
      throw new Error(
        `${key}.name "${name}" is configured twice; instance names must be unique`,
      );
    }
    const url = checkUrl(c.getString('url'), `${key}.url`);
    const externalUrl = c.getOptionalString('externalUrl');
    const token = c.getOptionalString('token');
    const username =
      c.getOptionalString('username') ?? (token ? undefined : defaultUser);
    const password =
      c.getOptionalString('password') ?? (token ? undefined : defaultPassword);
    if (!token && !(username && password)) {
      throw new Error(
        `Argo CD instance "${name}" (${key}) needs a token, or a username and password (set argocd.username/password for all instances)`,
      );
    }
    const timeoutMs = c.getOptionalNumber('timeoutMs') ?? defaultTimeout;
    if (!(timeoutMs > 0)) {
      throw new Error(
        `${key}.timeoutMs must be a positive number of milliseconds`,
      );
    }
    instances.push({
      name,
      url,
      externalUrl: externalUrl
        ? checkUrl(externalUrl, `${key}.externalUrl`)
        : url,
      token,
      username,
      password,
      timeoutMs,
      sandbox: c.getOptionalBoolean('sandbox') ?? false,
    });
  };

  root
    ?.getOptionalConfigArray('instances')
    ?.forEach((c, i) => add(c, `argocd.instances[${i}]`));
  root?.getOptionalConfigArray('appLocatorMethods')?.forEach((method, m) => {
    if (method.getString('type') !== 'config') return;
    method
      .getConfigArray('instances')
      .forEach((c, i) =>
        add(c, `argocd.appLocatorMethods[${m}].instances[${i}]`),
      );
  });

  const ttlSeconds = root?.getOptionalNumber('listCacheTtlSeconds') ?? 15;
  const historyLimit = root?.getOptionalNumber('historyLimit') ?? 10;
  if (!Number.isInteger(historyLimit) || historyLimit < 1) {
    throw new Error('argocd.historyLimit must be a positive integer');
  }
  const prefetch = root?.getOptionalConfig('prefetch');
  const positiveInt = (key: string, fallback: number) => {
    const value = prefetch?.getOptionalNumber(key) ?? fallback;
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`argocd.prefetch.${key} must be a positive integer`);
    }
    return value;
  };
  const watch = root?.getOptionalConfig('watch');
  const watchMs = (key: string, fallback: number) => {
    const value = watch?.getOptionalNumber(key) ?? fallback;
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `argocd.watch.${key} must be a positive whole number of milliseconds`,
      );
    }
    return value;
  };
  const retryMinMs = watchMs('retryMinMs', 1000);
  const retryMaxMs = watchMs('retryMaxMs', 30_000);
  if (retryMaxMs < retryMinMs) {
    throw new Error(
      'argocd.watch.retryMaxMs must not be smaller than argocd.watch.retryMinMs',
    );
  }
  return {
    instances,
    sandbox: root?.getOptionalBoolean('sandbox') ?? false,
    listCacheTtlMs: Math.max(0, ttlSeconds) * 1000,
    historyLimit,
    sharedList: root?.getOptionalBoolean('sharedList') ?? true,
    prefetch: {
      enabled: prefetch?.getOptionalBoolean('enabled') ?? true,
      concurrency: positiveInt('concurrency', 4),
      maxQueued: positiveInt('maxQueued', 200),
    },
    watch: {
      enabled: watch?.getOptionalBoolean('enabled') ?? true,
      retryMinMs,
      retryMaxMs,
      signalDebounceMs: watchMs('signalDebounceMs', 1000),
      signalHeartbeatMs: watchMs('signalHeartbeatMs', 10_000),
    },
  };
}
