import http from 'node:http';
import https from 'node:https';
import { ServiceUnavailableError } from '@backstage/errors';
import type {
  ClusterDetails,
  KubernetesCredential,
} from '@backstage/plugin-kubernetes-node';

/** A response of the Kubernetes API. */
export interface KubeResponse {
  status: number;
  body: any;
}

/** The cluster refused a request (HTTP 401/403): credentials or RBAC. */
export class AccessDeniedError extends ServiceUnavailableError {}

/** Thrown when code would read Secrets; it is a bug, never a user error. */
export class SecretAccessRefusedError extends Error {
  name = 'SecretAccessRefusedError';
}

const SECRET_PATH = /^\/api\/v1\/(namespaces\/[^/]+\/)?secrets(\/|$)/;

/** One event of a watch stream (`?watch=1`). */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: any;
}

/**
 * Minimal read-only Kubernetes API client for one cluster: GET and watch
 * only, JSON only, Secrets refused, every request counted.
 */
export class KubernetesApiClient {
  requestCount = 0;

  constructor(
    private readonly cluster: ClusterDetails,
    private readonly credential: KubernetesCredential,
    private readonly timeoutMs: number,
  ) {}

  /** Starts a GET; `onResponse` receives the response stream. */
  private request(
    path: string,
    query: Record<string, string | undefined>,
    timeoutMs: number,
    onResponse: (res: http.IncomingMessage) => void,
    onError: (error: Error) => void,
    signal?: AbortSignal,
  ) {
    if (SECRET_PATH.test(path)) {
      throw new SecretAccessRefusedError(
        `Refusing to read Secrets (${path}); the crossplane plugin never reads Secret data`,
      );
    }
    const base = new URL(this.cluster.url);
    const url = new URL(
      `${base.pathname.replace(/\/$/, '')}${path}`,
      `${base.protocol}//${base.host}`,
    );
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined) url.searchParams.set(k, v);
    }
    this.requestCount++;
    const headers: Record<string, string> = { accept: 'application/json' };
    const tls: https.RequestOptions = {};
    if (this.credential.type === 'bearer token') {
      headers.authorization = `Bearer ${this.credential.token}`;
    } else if (this.credential.type === 'x509 client certificate') {
      tls.cert = this.credential.cert;
      tls.key = this.credential.key;
    }
    if (url.protocol === 'https:') {
      tls.rejectUnauthorized = !this.cluster.skipTLSVerify;
      if (this.cluster.caData) {
        tls.ca = Buffer.from(this.cluster.caData, 'base64').toString();
      }
    }
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(
      url,
      { method: 'GET', headers, timeout: timeoutMs, signal, ...tls },
      onResponse,
    );
    req.on('timeout', () => {
      req.destroy(new Error(`timed out after ${timeoutMs} ms`));
    });
    req.on('error', e =>
      onError(
        signal?.aborted
          ? e
          : new ServiceUnavailableError(
              `Cannot reach Kubernetes cluster '${this.cluster.name}' at ${this.cluster.url}: ${e.message}`,
            ),
      ),
    );
    req.end();
  }

  /** GET a path with query parameters. 4xx/5xx are returned, network errors thrown. */
  async get(
    path: string,
    query: Record<string, string | undefined> = {},
  ): Promise<KubeResponse> {
    return new Promise<KubeResponse>((resolve, reject) => {
      this.request(
        path,
        query,
        this.timeoutMs,
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => resolve(parseBody(res, chunks)));
          res.on('error', reject);
        },
        reject,
      );
    });
  }

  /**
   * Watches a collection from `resourceVersion`: calls `onEvent` for each
   * event until the server ends the stream (`timeoutSeconds`), `signal`
   * aborts it, or the connection fails (rejects). A non-200 answer is
   * returned instead of a stream; `onOpen` is called when the stream starts.
   */
  async watch(
    path: string,
    query: { resourceVersion?: string; timeoutSeconds: number },
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
    onOpen?: () => void,
  ): Promise<KubeResponse | undefined> {
    return new Promise((resolve, reject) => {
      this.request(
        path,
        {
          watch: '1',
          allowWatchBookmarks: 'true',
          resourceVersion: query.resourceVersion,
          timeoutSeconds: String(query.timeoutSeconds),
        },
        // the server ends a healthy stream after timeoutSeconds
        (query.timeoutSeconds + 30) * 1000,
        res => {
          const chunks: Buffer[] = [];
          if (res.statusCode !== 200) {
            res.on('data', c => chunks.push(c));
            res.on('end', () => resolve(parseBody(res, chunks)));
            res.on('error', reject);
            return;
          }
          onOpen?.();
          let buffered = '';
          res.setEncoding('utf8');
          res.on('data', (text: string) => {
            buffered += text;
            let nl = buffered.indexOf('\n');
            while (nl >= 0) {
              const line = buffered.slice(0, nl).trim();
              buffered = buffered.slice(nl + 1);
              if (line) {
                try {
                  onEvent(JSON.parse(line));
                } catch (e) {
                  res.destroy(e as Error);
                  return;
                }
              }
              nl = buffered.indexOf('\n');
            }
          });
          res.on('end', () => resolve(undefined));
          res.on('error', reject);
          // a connection cut mid-stream (API server restart) ends here
          res.on('close', () =>
            res.complete || signal.aborted
              ? resolve(undefined)
              : reject(new Error('the watch stream broke')),
          );
        },
        e => (signal.aborted ? resolve(undefined) : reject(e)),
        signal,
      );
    });
  }
}

function parseBody(res: http.IncomingMessage, chunks: Buffer[]): KubeResponse {
  const text = Buffer.concat(chunks).toString('utf8');
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // non-JSON error bodies are kept as text
  }
  return { status: res.statusCode ?? 0, body };
}

/** Error for a non-2xx answer that the caller cannot handle. */
export function responseError(
  cluster: string,
  what: string,
  res: KubeResponse,
): Error {
  const detail =
    typeof res.body === 'object' && res.body?.message
      ? res.body.message
      : String(res.body ?? '').slice(0, 200);
  if (res.status === 401 || res.status === 403) {
    return new AccessDeniedError(
      `Kubernetes cluster '${cluster}' refused ${what} (HTTP ${res.status}: ${detail}); check the cluster's credentials and RBAC (list/get on Crossplane resources and events)`,
    );
  }
  return new ServiceUnavailableError(
    `Kubernetes cluster '${cluster}' failed ${what} (HTTP ${res.status}: ${detail})`,
  );
}
