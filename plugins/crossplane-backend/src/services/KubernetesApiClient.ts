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

/** Thrown when code would read Secrets; it is a bug, never a user error. */
export class SecretAccessRefusedError extends Error {
  name = 'SecretAccessRefusedError';
}

const SECRET_PATH = /^\/api\/v1\/(namespaces\/[^/]+\/)?secrets(\/|$)/;

/**
 * Minimal read-only Kubernetes API client for one cluster: GET only,
 * JSON only, Secrets refused, every request counted.
 */
export class KubernetesApiClient {
  requestCount = 0;

  constructor(
    private readonly cluster: ClusterDetails,
    private readonly credential: KubernetesCredential,
    private readonly timeoutMs: number,
  ) {}

  /** GET a path with query parameters. 4xx/5xx are returned, network errors thrown. */
  async get(
    path: string,
    query: Record<string, string | undefined> = {},
  ): Promise<KubeResponse> {
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
    return new Promise<KubeResponse>((resolve, reject) => {
      const req = transport.request(
        url,
        { method: 'GET', headers, timeout: this.timeoutMs, ...tls },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: any = text;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              // non-JSON error bodies are kept as text
            }
            resolve({ status: res.statusCode ?? 0, body });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => {
        req.destroy(new Error(`timed out after ${this.timeoutMs} ms`));
      });
      req.on('error', e =>
        reject(
          new ServiceUnavailableError(
            `Cannot reach Kubernetes cluster '${this.cluster.name}' at ${this.cluster.url}: ${e.message}`,
          ),
        ),
      );
      req.end();
    });
  }
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
    return new ServiceUnavailableError(
      `Kubernetes cluster '${cluster}' refused ${what} (HTTP ${res.status}: ${detail}); check the cluster's credentials and RBAC (list/get on Crossplane resources and events)`,
    );
  }
  return new ServiceUnavailableError(
    `Kubernetes cluster '${cluster}' failed ${what} (HTTP ${res.status}: ${detail})`,
  );
}
