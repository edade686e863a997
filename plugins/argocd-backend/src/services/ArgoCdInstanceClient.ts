import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { BadGatewayError, argoCdError } from '../errors';
import { ArgoCdInstanceConfig } from '../config';

/** Options of one upstream call. */
export interface ArgoCdRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/** Renews a session this long before its JWT `exp`. */
const EXPIRY_MARGIN_MS = 30_000;

/** Reads the `exp` claim of a JWT without trusting it for anything but scheduling. */
function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(
      Buffer.from(payload, 'base64url').toString('utf8'),
    );
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Talks to one Argo CD instance. Session tokens are created once and reused
 * until their JWT `exp` (or a 401), concurrent logins and identical
 * concurrent GETs are coalesced, and every call has a timeout.
 * The token never appears in errors or logs.
 */
export class ArgoCdInstanceClient {
  private session?: { token: string; renewAt: number };
  private login?: Promise<string>;
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(
    readonly instance: ArgoCdInstanceConfig,
    private readonly logger: LoggerService,
  ) {}

  /** Sends a request; GETs with the same URL that overlap share one upstream call. */
  async request<T>(req: ArgoCdRequest): Promise<T> {
    const method = req.method ?? 'GET';
    const url = this.url(req.path, req.query);
    if (method !== 'GET') {
      return this.send<T>(method, url, req.body);
    }
    const existing = this.inflight.get(url);
    if (existing) return existing as Promise<T>;
    const promise = this.send<T>(method, url).finally(() =>
      this.inflight.delete(url),
    );
    this.inflight.set(url, promise);
    return promise;
  }

  /**
   * Opens a long-lived GET (a watch stream) and resolves once Argo CD
   * answered with 200: authorized like every call (a 401 logs in again
   * once); the timeout applies to the answer's start only, `abort` ends it.
   * A refusal throws like a failed request.
   */
  async openStream(
    req: Pick<ArgoCdRequest, 'path' | 'query'>,
    abort: AbortSignal,
  ): Promise<Response> {
    const url = this.url(req.path, req.query);
    const connect = async (token: string | undefined) => {
      const controller = new AbortController();
      const onAbort = () => controller.abort();
      abort.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(
        () =>
          controller.abort(
            new DOMException('no answer in time', 'TimeoutError'),
          ),
        this.instance.timeoutMs,
      );
      try {
        return await this.fetch(
          'GET',
          url,
          token,
          undefined,
          controller.signal,
        );
      } finally {
        clearTimeout(timer);
      }
    };
    let res = await connect(await this.token(false));
    if (res.status === 401 && !this.instance.token) {
      await res.body?.cancel();
      this.session = undefined;
      res = await connect(await this.token(true));
    }
    if (!res.ok) await this.parse(res, `GET ${req.path}`);
    return res;
  }

  private url(path: string, query: ArgoCdRequest['query']): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value])
        params.append(key, v);
    }
    const qs = params.toString();
    return `${this.instance.url}${path}${qs ? `?${qs}` : ''}`;
  }

  private async send<T>(
    method: string,
    url: string,
    body?: unknown,
  ): Promise<T> {
    let token = await this.token(false);
    let res = await this.fetch(method, url, token, body);
    if (res.status === 401 && !this.instance.token) {
      // Session expired or revoked (e.g. Argo CD restarted): log in again once.
      this.session = undefined;
      token = await this.token(true);
      res = await this.fetch(method, url, token, body);
    }
    return this.parse<T>(res, `${method} ${new URL(url).pathname}`);
  }

  private async token(renew: boolean): Promise<string> {
    if (this.instance.token) return this.instance.token;
    if (!renew && this.session && this.session.renewAt > Date.now()) {
      return this.session.token;
    }
    if (!this.login) {
      this.login = this.createSession().finally(() => {
        this.login = undefined;
      });
    }
    return this.login;
  }

  private async createSession(): Promise<string> {
    const res = await this.fetch(
      'POST',
      `${this.instance.url}/api/v1/session`,
      undefined,
      {
        username: this.instance.username,
        password: this.instance.password,
      },
    );
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new ServiceUnavailableError(
        `Argo CD instance "${this.instance.name}" rejected the configured username/password (HTTP ${res.status}); check argocd.instances[].username/password`,
      );
    }
    const { token } = await this.parse<{ token?: string }>(
      res,
      'POST /api/v1/session',
    );
    if (!token) {
      throw new ServiceUnavailableError(
        `Argo CD instance "${this.instance.name}" returned no session token`,
      );
    }
    const exp = jwtExpiry(token);
    this.session = {
      token,
      renewAt: exp ? exp - EXPIRY_MARGIN_MS : Number.POSITIVE_INFINITY,
    };
    this.logger.debug(
      `Created Argo CD session for instance ${this.instance.name}`,
    );
    return token;
  }

  private async fetch(
    method: string,
    url: string,
    token: string | undefined,
    body?: unknown,
    signal: AbortSignal = AbortSignal.timeout(this.instance.timeoutMs),
  ): Promise<Response> {
    try {
      return await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal,
      });
    } catch (e) {
      const err = e as Error;
      if (err.name === 'TimeoutError' || err.name === 'AbortError') {
        throw new ServiceUnavailableError(
          `Argo CD instance "${this.instance.name}" did not answer within ${this.instance.timeoutMs} ms`,
        );
      }
      throw new ServiceUnavailableError(
        `Argo CD instance "${this.instance.name}" is unreachable: ${
          (err.cause as Error | undefined)?.message ?? err.message
        }`,
      );
    }
  }

  private async parse<T>(res: Response, what: string): Promise<T> {
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw new ServiceUnavailableError(
        `Argo CD instance "${
          this.instance.name
        }" broke off the answer to ${what}: ${(e as Error).message}`,
      );
    }
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      if (res.ok) {
        throw new BadGatewayError(
          `Argo CD instance "${this.instance.name}" sent a non-JSON answer to ${what} (HTTP ${res.status})`,
        );
      }
      // A proxy in front of Argo CD (HTML error page): keep a short, readable excerpt.
      json = text
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 200);
    }
    if (res.ok) return json as T;
    throw argoCdError({
      instance: this.instance.name,
      status: res.status,
      statusText: res.statusText,
      body: json,
      what,
    });
  }
}
